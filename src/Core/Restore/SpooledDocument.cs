using Strata.Core.Artifacts;

namespace Strata.Core.Restore;

/// <summary>A document read back from the spool; <paramref name="Selected"/> is false for a cluster-scoped object kept only if needed; <paramref name="RawPath"/> is its archive path.</summary>
internal sealed record SpooledDocument(ResourceEntryPath Path, bool Selected, byte[] Document, string RawPath);
