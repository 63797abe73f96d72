namespace Strata.Core.Artifacts;

/// <summary>A storage key read back by <see cref="ArtifactLayout.TryParseKey"/>.</summary>
/// <param name="Cluster">The cluster segment (as <see cref="ArtifactLayout.Segment"/> made it).</param>
/// <param name="Policy">The policy segment.</param>
/// <param name="BackupId">The backup id.</param>
/// <param name="Path">The artifact's path within the backup, e.g. <c>resources.tar.gz</c>.</param>
public sealed record BackupArtifactKey(string Cluster, string Policy, string BackupId, string Path)
{
    /// <summary>The backup's key prefix, ending in '/'.</summary>
    public string BackupPrefix => $"{ArtifactLayout.BackupsRoot}{Cluster}/{Policy}/{BackupId}/";
}
