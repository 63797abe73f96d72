namespace Strata.Core.Etcd;

/// <summary>
/// Rebuilds an etcd from a snapshot on the runner's own host, for the rebuild drill: <c>etcdutl snapshot restore</c>
/// (<c>etcdctl snapshot restore</c> on etcd 3.4) into a temporary data directory, then a single-member etcd on free
/// loopback ports. A host without the tools (a Functions app) says so through <see cref="Unavailable"/>.
/// </summary>
public interface IEtcdRehearsals
{
    /// <summary>Why this host cannot rebuild an etcd (<c>etcdutl and etcd are not on PATH</c>); null when it can.</summary>
    string? Unavailable { get; }

    /// <summary>
    /// Restores the snapshot at <paramref name="snapshotFile"/> (the artifact as stored, trailer included, so the
    /// restore checks etcd's hash too) and starts etcd on it; returns once the member answers. A restore or start
    /// that fails throws <see cref="EtcdRehearsalException"/> with the tool's own words. Disposing the result stops
    /// etcd and deletes the data directory.
    /// </summary>
    Task<IRehearsedEtcd> RebuildAsync(string snapshotFile, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new temporary file for the snapshot, in the folder the rehearsal works in: the caller writes the artifact into
    /// it, closes its stream, rebuilds from its path, and disposes it (which deletes it). Core does no file I/O of its own.
    /// </summary>
    IEtcdSnapshotFile NewSnapshotFile();
}
