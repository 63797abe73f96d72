using Strata.Core.Runs;

namespace Strata.Core.Status;

/// <summary>A committed backup, as a point of the page's size and object-count charts.</summary>
/// <param name="Id">The backup id.</param>
/// <param name="At">When it started.</param>
/// <param name="Status">How it stands (committed: succeeded, partial, verified or failed verification).</param>
/// <param name="TotalBytes">The bytes of its artifacts.</param>
/// <param name="BytesByLayer">Those bytes per layer (<see cref="BackupLayers.Bytes"/>).</param>
/// <param name="Layers">The layers it holds (<see cref="BackupLayers.Held"/>).</param>
/// <param name="ObjectCount">API objects captured.</param>
public sealed record BackupPoint(
    string Id, DateTimeOffset At, BackupStatus Status, long TotalBytes, IReadOnlyDictionary<string, long> BytesByLayer, IReadOnlyList<string> Layers, long ObjectCount)
{
    /// <summary>The point of <paramref name="record"/>.</summary>
    public static BackupPoint Of(BackupRecord record) => new(
        record.Id, record.StartedAt, record.Status, record.Artifacts.Sum(a => a.Size), BackupLayers.Bytes(record), BackupLayers.Held(record), record.ObjectCount);
}
