namespace Strata.Sandbox;

/// <summary>
/// The storage system the simulated CSI drivers take snapshots on: the snapshots each driver holds, by handle.
/// Thread-safe. A sandbox has its own unless <see cref="SimulatedSnapshots.Backend"/> gives one; sandboxes given the
/// same instance are clusters on one cloud account, so a snapshot taken in one can be imported (a pre-provisioned
/// VolumeSnapshotContent) and restored from in another.
/// </summary>
public sealed class SnapshotBackend
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Driver, string Handle), StorageSnapshot> _snapshots = [];

    /// <summary>Cuts a snapshot of <paramref name="sourceVolumeHandle"/> (CSI <c>CreateSnapshot</c>): a new handle of <paramref name="driver"/>.</summary>
    public StorageSnapshot Create(string driver, string sourceVolumeHandle, long sizeBytes, DateTimeOffset createdAt, bool readyToUse = true) =>
        Add(new StorageSnapshot(driver, $"snapshot-{Guid.NewGuid()}", sourceVolumeHandle, sizeBytes, createdAt, readyToUse));

    /// <summary>Registers a snapshot made elsewhere (a cloud console, another tool) under its own handle; replaces one with that handle.</summary>
    public StorageSnapshot Add(StorageSnapshot snapshot)
    {
        lock (_gate)
        {
            _snapshots[(snapshot.Driver, snapshot.Handle)] = snapshot;
        }

        return snapshot;
    }

    /// <summary>The snapshot <paramref name="handle"/> of <paramref name="driver"/> (CSI <c>ListSnapshots</c> by id); null when there is none.</summary>
    public StorageSnapshot? Find(string driver, string handle)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault((driver, handle));
        }
    }

    /// <summary>Deletes a snapshot (CSI <c>DeleteSnapshot</c>); false when there was none.</summary>
    public bool Delete(string driver, string handle)
    {
        lock (_gate)
        {
            return _snapshots.Remove((driver, handle));
        }
    }

    /// <summary>Every snapshot <paramref name="driver"/> holds, oldest first.</summary>
    public IReadOnlyList<StorageSnapshot> List(string driver)
    {
        lock (_gate)
        {
            return [.. _snapshots.Values.Where(s => s.Driver == driver).OrderBy(s => s.CreatedAt).ThenBy(s => s.Handle, StringComparer.Ordinal)];
        }
    }
}
