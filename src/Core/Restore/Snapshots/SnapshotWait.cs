using Strata.Core.Configuration;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Volumes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// Waits, all at once and bounded by <see cref="RestoreOptions.SnapshotReadyTimeout"/>, until each new VolumeSnapshot is
/// <c>readyToUse</c> (the CSI driver found the handle) or the time is up. A <c>status.error</c> is not an answer: the
/// snapshot controller keeps retrying and clears the error when a retry succeeds (the API's own description of
/// <c>VolumeSnapshotStatus.error</c>), so an error only says why the snapshot is not ready yet — the last one seen is
/// in the message of a snapshot that was still not ready when the time was up.
/// </summary>
internal sealed class SnapshotWait(IClusterWriter target, TimeProvider time, RestoreOptions options)
{
    public async Task<List<(PendingSnapshot Pending, ClaimSource Source)>> RunAsync(IReadOnlyList<PendingSnapshot> pending, CancellationToken cancellationToken)
    {
        var settled = new List<(PendingSnapshot, ClaimSource)>();
        var left = pending.ToList();
        var deadline = time.GetUtcNow() + options.SnapshotReadyTimeout;
        var lastSeen = new Dictionary<PendingSnapshot, string>();
        var lastError = new Dictionary<PendingSnapshot, string>();
        while (left.Count > 0)
        {
            foreach (var snapshot in left.ToList())
            {
                KubeObject? live;
                try
                {
                    live = await target.GetAsync(VolumeSnapshotApi.VolumeSnapshots, snapshot.Namespace, snapshot.SnapshotName, cancellationToken);
                }
                catch (ClusterRequestException e)
                {
                    lastSeen[snapshot] = $"could not be read: {e.Message}"; // not an answer: the next look tries again, the timeout still bounds it
                    continue;
                }

                lastSeen[snapshot] = Describe(live);
                if (live is not null && SnapshotStatus.IsReady(live))
                {
                    var restoreSize = SnapshotStatus.RestoreSize(live);
                    left.Remove(snapshot);
                    settled.Add((snapshot, new ClaimSource(snapshot.SnapshotName, ClaimsFromSnapshots.RestoreBytes(snapshot.Record, restoreSize),
                        snapshot.Record.RestoreSize ?? restoreSize, snapshot.Description, null)));
                }
                else if (live is not null && SnapshotStatus.Error(live) is { } error)
                {
                    lastError[snapshot] = error; // the controller retries: kept for the message should the time run out
                }
            }

            if (left.Count == 0 || time.GetUtcNow() >= deadline)
            {
                break;
            }

            await Task.Delay(options.SnapshotPollInterval, time, cancellationToken);
        }

        settled.AddRange(left.Select(s => (s, ClaimSource.Failed(
            $"VolumeSnapshot {s.Namespace}/{s.SnapshotName} was not readyToUse after {Duration(options.SnapshotReadyTimeout)} ({lastSeen[s]})"
            + (lastError.TryGetValue(s, out var error) ? $"; its last error: {error}: {Refusal(s)}" : "")))));
        return settled;
    }

    /// <summary>What the VolumeSnapshot says, for a report: <c>bound to X, not readyToUse</c>.</summary>
    private static string Describe(KubeObject? snapshot) =>
        snapshot is null ? "not found"
        : SnapshotStatus.BoundContent(snapshot) is { } bound ? $"bound to {bound}, {(SnapshotStatus.IsReady(snapshot) ? "readyToUse" : "not readyToUse")}"
        : "not bound to a VolumeSnapshotContent";

    private static string Duration(TimeSpan wait) => wait < TimeSpan.FromSeconds(1) ? $"{wait.TotalMilliseconds:0} ms" : DurationText.Format(wait);

    /// <summary>What an error on the new VolumeSnapshot that never cleared means: the driver did not take the handle here.</summary>
    private static string Refusal(PendingSnapshot snapshot) => snapshot.OtherCluster is { } cluster
        ? $"cluster {cluster}'s CSI driver {snapshot.Record.Driver} does not restore handle {snapshot.Record.SnapshotHandle} " +
          "(its storage system does not know the snapshot, or the driver does not allow it across clusters)"
        : $"the CSI driver {snapshot.Record.Driver} does not restore handle {snapshot.Record.SnapshotHandle} (the storage system no longer knows the snapshot?)";
}
