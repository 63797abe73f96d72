namespace Strata.Core.Etcd;

/// <summary>
/// A temporary file on the rehearsal's host that a snapshot is written into before its restore (Core writes the
/// stream; the adapter owns the file). Disposing it closes the stream and deletes the file.
/// </summary>
public interface IEtcdSnapshotFile : IAsyncDisposable
{
    /// <summary>The file's path, for <see cref="IEtcdRehearsals.RebuildAsync"/>.</summary>
    string Path { get; }

    /// <summary>The file's content, open for writing from its start; dispose it (closing the file) before the restore.</summary>
    Stream Content { get; }
}
