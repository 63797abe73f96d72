namespace Strata.Core.Backup;

/// <summary>An object's GitOps owner: the tool, the application that owns it, and the evidence.</summary>
public sealed record GitOpsOwner(GitOpsManager Manager, string Application, string Evidence);
