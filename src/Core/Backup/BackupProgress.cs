namespace Strata.Core.Backup;

/// <summary>Progress of a running backup.</summary>
/// <param name="ResourceTypesDone">Resource types finished.</param>
/// <param name="ResourceTypesTotal">Resource types planned.</param>
/// <param name="Objects">Objects captured so far.</param>
/// <param name="Bytes">Uncompressed document bytes so far.</param>
/// <param name="Current">The resource type that just finished (objects), or the item in progress (another layer).</param>
/// <param name="Layer">The layer in progress beside the objects (<c>databases</c>), whose <paramref name="Bytes"/> are the current item's; null for the objects.</param>
public sealed record BackupProgress(int ResourceTypesDone, int ResourceTypesTotal, long Objects, long Bytes, string? Current, string? Layer = null);
