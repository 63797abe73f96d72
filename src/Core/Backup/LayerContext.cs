using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Backup;

/// <summary>What a layer captures into: the store and the backup's prefix, the run's result, its clock and progress.</summary>
/// <param name="Store">The artifact store.</param>
/// <param name="BackupPrefix">The backup's key prefix (<c>ArtifactLayout.BackupPrefix</c>).</param>
/// <param name="Result">Where the layer records each item's problems.</param>
/// <param name="Time">The clock.</param>
/// <param name="Progress">Progress, for people watching.</param>
public sealed record LayerContext(IArtifactStore Store, string BackupPrefix, OperationResult Result, TimeProvider Time, IProgress<BackupProgress>? Progress = null)
{
    /// <summary>The backup's id (default: read from <see cref="BackupPrefix"/>), for what a layer asks others to do on its behalf.</summary>
    public string BackupId { get; init; } = PrefixSegment(BackupPrefix, 3);

    /// <summary>The backup's policy (default: read from <see cref="BackupPrefix"/>).</summary>
    public string Policy { get; init; } = PrefixSegment(BackupPrefix, 2);

    /// <summary>The backup's cluster, by its name in strata.yaml (default: read from <see cref="BackupPrefix"/>).</summary>
    public string Cluster { get; init; } = PrefixSegment(BackupPrefix, 1);

    /// <summary>
    /// What the backup encrypts client-side: with anything but none, what <see cref="Store"/> writes under
    /// <c>Encryption.EncryptionPaths</c> is encrypted whole (the control-plane files among it). Default: nothing.
    /// </summary>
    public Encryption.EncryptionMode Encryption { get; init; }

    private static string PrefixSegment(string prefix, int index) =>
        prefix.Split('/', StringSplitOptions.RemoveEmptyEntries) is { } segments && segments.Length > index ? segments[index] : "";
}
