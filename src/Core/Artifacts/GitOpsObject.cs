using Strata.Core.Backup;

namespace Strata.Core.Artifacts;

/// <summary>An object Argo CD or Flux manages: its archive path (or, if skipped, where it would be) and owner.</summary>
public sealed record GitOpsObject(string Path, GitOpsManager Manager, string Application, bool Skipped);
