namespace Strata.Sandbox;

/// <summary>
/// A snapshot on the storage system behind a CSI driver (<see cref="SnapshotBackend"/>): its handle (CSI's
/// <c>snapshot_id</c>, a VolumeSnapshotContent's <c>snapshotHandle</c>), the volume it was taken of, its size in bytes
/// (the smallest volume it restores to), when it was cut, and whether it is ready to restore from.
/// </summary>
public sealed record StorageSnapshot(string Driver, string Handle, string? SourceVolumeHandle, long SizeBytes, DateTimeOffset CreatedAt, bool ReadyToUse = true);
