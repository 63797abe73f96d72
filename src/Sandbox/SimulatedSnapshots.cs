namespace Strata.Sandbox;

/// <summary>
/// The CSI snapshot machinery, simulated (<see cref="SimulatedControllers.Snapshots"/>; it acts once the
/// <c>snapshot.storage.k8s.io</c> CRDs are installed): external-snapshotter's snapshot controller and a csi-snapshotter
/// sidecar for every driver, taking snapshots on <see cref="Backend"/>. A VolumeSnapshot of a bound CSI claim gets its
/// VolumeSnapshotContent at once and is ready after <see cref="SnapshotDelay"/>; one of an existing snapshot binds its
/// VolumeSnapshotContent and is ready when the storage system knows the handle. Claims restore from ready snapshots.
/// </summary>
public sealed record SimulatedSnapshots
{
    /// <summary>How long the driver's <c>CreateSnapshot</c> takes before the snapshot is ready to use (its creation time is when it was asked for).</summary>
    public TimeSpan SnapshotDelay { get; init; }

    /// <summary>Snapshots the driver fails to take (given the VolumeSnapshot): they end with <c>status.error</c> (<see cref="FailureMessage"/>).</summary>
    public Func<SandboxObject, bool>? Fails { get; init; }

    /// <summary>The driver's error for a snapshot that <see cref="Fails"/>, as the CSI call returns it (the sidecar wraps it).</summary>
    public string FailureMessage { get; init; } =
        "rpc error: code = Internal desc = CreateSnapshot failed: SnapshotCreationPerVolumeRateExceeded: The maximum per volume CreateSnapshot request rate has been exceeded. Use an increasing or variable sleep interval between requests.";

    /// <summary>Snapshots (given the VolumeSnapshot) that are cut but never become ready: <c>readyToUse: false</c> and no error, for ever.</summary>
    public Func<SandboxObject, bool>? NeverReady { get; init; }

    /// <summary>The storage system; null (the default): a new one for each sandbox. Share one to model clusters on one cloud account.</summary>
    public SnapshotBackend? Backend { get; init; }
}
