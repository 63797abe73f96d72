using System.Runtime.CompilerServices;
using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Adapters.Local;

/// <summary>
/// Artifacts in a local folder, keys as relative paths. Write-once: content goes to a hidden
/// temporary file that is moved into place on commit, never over an existing file.
/// </summary>
public sealed class LocalFolderArtifactStore(string root) : IArtifactStore
{
    private const string PartialSuffix = ".partial";

    /// <inheritdoc />
    public string Location { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public Task<IArtifactWriter> CreateAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            throw new ArtifactExistsException(key);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{PartialSuffix}");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        return Task.FromResult<IArtifactWriter>(new Writer(key, path, temp, stream));
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new ArtifactNotFoundException(key);
        }

        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (!Directory.Exists(Location))
        {
            yield break;
        }

        var keys = Directory.EnumerateFiles(Location, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).EndsWith(PartialSuffix, StringComparison.Ordinal))
            .Select(f => (Key: Path.GetRelativePath(Location, f).Replace(Path.DirectorySeparatorChar, '/'), File: f))
            .Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(k => k.Key, StringComparer.Ordinal);
        foreach (var (key, file) in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ArtifactInfo(key, new FileInfo(file).Length);
        }
    }

    /// <inheritdoc />
    /// <remarks>A local folder has no write-once lock: file permissions are the only protection.</remarks>
    public Task<ArtifactDeletion> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(new ArtifactDeletion(key, ArtifactDeletionOutcome.NotFound));
        }

        File.Delete(path);
        return Task.FromResult(new ArtifactDeletion(key, ArtifactDeletionOutcome.Deleted));
    }

    private string PathOf(string key)
    {
        ArtifactLayout.ValidateKey(key);
        return Path.Combine(Location, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private sealed class Writer(string key, string path, string temp, FileStream stream) : IArtifactWriter
    {
        private bool _committed;

        public Stream Content => stream;

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync();
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
                throw new ArtifactExistsException(key);
            }

            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                await stream.DisposeAsync();
                File.Delete(temp);
            }
        }
    }
}
