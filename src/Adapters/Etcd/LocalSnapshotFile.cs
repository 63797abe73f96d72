using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>A snapshot written to a new file of the rehearsal's folder (created now, never overwriting); disposing deletes it.</summary>
internal sealed class LocalSnapshotFile(string path) : IEtcdSnapshotFile
{
    /// <inheritdoc />
    public string Path { get; } = path;

    /// <inheritdoc />
    public Stream Content { get; } = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        File.Delete(Path);
    }
}
