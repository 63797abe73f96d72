namespace Strata.Sandbox;

/// <summary>
/// The CSI snapshot machinery, simulated (<see cref="SimulatedControllers.Snapshots"/>; it acts once the
/// <c>snapshot.storage.k8s.io</c> CRDs are installed): external-snapshotter's snapshot controller and a csi-snapshotter
/// sidecar for every driver, taking snapshots on <see cref="Backend"/>. A VolumeSnapshot of a bound CSI claim gets its
/// VolumeSnapshotContent at once and is cut after <see cref="SnapshotDelay"/>, ready then or <see cref="ReadyDelay"/>
/// later (or never, or failing — for a while or for good); one of an existing snapshot binds its
/// VolumeSnapshotContent and is ready when the storage system knows the handle. Claims restore from ready snapshots.
/// </summary>
public sealed record SimulatedSnapshots
{
    /// <summary>How long the driver's <c>CreateSnapshot</c> takes before the snapshot is ready to use (its creation time is when it was asked for).</summary>
    public TimeSpan SnapshotDelay { get; init; }

    /// <summary>
    /// How long after the cut a snapshot becomes ready to use (zero, the default: ready when cut) — a cloud snapshot's
    /// upload: <c>status.creationTime</c> is set first, <c>readyToUse</c> turns true this much later.
    /// </summary>
    public TimeSpan ReadyDelay { get; init; }

    /// <summary>
    /// Snapshots the driver never manages to take (given the VolumeSnapshot): they keep <c>status.error</c>
    /// (<see cref="FailureMessage"/>) and never become ready — the real sidecar retries with a backoff and fails the same
    /// way each time, so a consumer sees the error stay until it gives up.
    /// </summary>
    public Func<SandboxObject, bool>? Fails { get; init; }

    /// <summary>
    /// How many times the driver's <c>CreateSnapshot</c> fails (given the VolumeSnapshot; null or 0: never) before it
    /// succeeds: each failed attempt writes <c>status.error</c> (<see cref="FailureMessage"/>) and the sidecar tries again
    /// at once, each attempt taking <see cref="SnapshotDelay"/>; the one that succeeds clears the error, as the real one
    /// does, and the snapshot is cut then and ready. What the API documents: an error is not the end of a snapshot.
    /// </summary>
    public Func<SandboxObject, int>? TransientFailures { get; init; }

    /// <summary>The driver's error for a snapshot that <see cref="Fails"/> (or <see cref="TransientFailures"/>), as the CSI call returns it (the sidecar wraps it).</summary>
    public string FailureMessage { get; init; } =
        "rpc error: code = Internal desc = CreateSnapshot failed: SnapshotCreationPerVolumeRateExceeded: The maximum per volume CreateSnapshot request rate has been exceeded. Use an increasing or variable sleep interval between requests.";

    /// <summary>Snapshots (given the VolumeSnapshot) that are cut but never become ready: <c>readyToUse: false</c> and no error, for ever.</summary>
    public Func<SandboxObject, bool>? NeverReady { get; init; }

    /// <summary>The storage system; null (the default): a new one for each sandbox. Share one to model clusters on one cloud account.</summary>
    public SnapshotBackend? Backend { get; init; }
}
