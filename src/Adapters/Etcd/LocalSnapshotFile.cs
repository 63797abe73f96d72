using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// A snapshot written to a new file of the rehearsal's folder (created now, never overwriting, readable by its owner
/// only: it holds every Secret of the cluster); disposing deletes it.
/// </summary>
internal sealed class LocalSnapshotFile(string path) : IEtcdSnapshotFile
{
    /// <inheritdoc />
    public string Path { get; } = path;

    /// <inheritdoc />
    public Stream Content { get; } = new FileStream(path, Options);

    private static FileStreamOptions Options
    {
        get
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 1 << 16, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return options;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        File.Delete(Path);
    }
}
