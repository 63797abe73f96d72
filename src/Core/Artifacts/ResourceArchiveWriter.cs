using System.Formats.Tar;
using System.IO.Compression;

namespace Strata.Core.Artifacts;

/// <summary>
/// Streams <c>resources.tar.gz</c>: one JSON document per object, written as it arrives, so memory
/// does not grow with the cluster. GNU tar format: long paths use the GNU long-name extension that
/// every tar reads.
/// </summary>
public sealed class ResourceArchiveWriter : IAsyncDisposable
{
    private readonly HashingStream _hashing;
    private readonly GZipStream _gzip;
    private readonly TarWriter _tar;
    private readonly DateTimeOffset _modificationTime;
    private bool _completed;

    /// <summary>Starts an archive on <paramref name="destination"/> (left open).</summary>
    public ResourceArchiveWriter(Stream destination, DateTimeOffset modificationTime, CompressionLevel compression = CompressionLevel.Fastest)
    {
        _hashing = new HashingStream(destination);
        _gzip = new GZipStream(_hashing, compression, leaveOpen: true);
        _tar = new TarWriter(_gzip, TarEntryFormat.Gnu, leaveOpen: true);
        _modificationTime = modificationTime;
    }

    /// <summary>Entries written so far.</summary>
    public long EntryCount { get; private set; }

    /// <summary>Uncompressed document bytes written so far.</summary>
    public long ContentBytes { get; private set; }

    /// <summary>Compressed bytes written so far.</summary>
    public long CompressedBytes => _hashing.BytesHashed;

    /// <summary>Appends one document.</summary>
    public async Task WriteEntryAsync(string path, byte[] content, CancellationToken cancellationToken = default)
    {
        var entry = new GnuTarEntry(TarEntryType.RegularFile, path)
        {
            DataStream = new MemoryStream(content, writable: false),
            ModificationTime = _modificationTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await _tar.WriteEntryAsync(entry, cancellationToken);
        EntryCount++;
        ContentBytes += content.Length;
    }

    /// <summary>Ends the archive and returns its size and hash under <paramref name="name"/>.</summary>
    public async Task<ArtifactEntry> CompleteAsync(string name)
    {
        await _tar.DisposeAsync();
        await _gzip.DisposeAsync();
        _completed = true;
        return new ArtifactEntry(name, _hashing.BytesHashed, _hashing.Sha256Hex);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _tar.DisposeAsync();
            await _gzip.DisposeAsync();
        }

        await _hashing.DisposeAsync();
    }
}
