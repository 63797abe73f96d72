using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Strata.Core.Artifacts;

/// <summary>
/// Reads <c>resources.tar.gz</c> entry by entry, refusing anything that could escape the folder
/// it would be extracted into: absolute paths, <c>..</c>, links, devices, paths outside the
/// layout, and documents too large to be objects. The SHA-256 of the compressed bytes is
/// computed on the way, for comparison with the manifest once the archive is read.
/// </summary>
public sealed class ResourceArchiveReader(Stream source, string artifactName)
{
    /// <summary>The largest document accepted: well above the API server's 1.5 MiB request limit.</summary>
    public const int MaxDocumentBytes = 8 * 1024 * 1024;

    private readonly HashingStream _hashing = new(source);

    /// <summary>Compressed bytes read.</summary>
    public long Bytes => _hashing.BytesHashed;

    /// <summary>SHA-256 of the compressed bytes; valid once <see cref="ReadAsync"/> has finished.</summary>
    public string Sha256Hex => _hashing.Sha256Hex;

    /// <summary>Every object document, in archive order. Throws <see cref="ArtifactRejectedException"/> at the first unsafe entry.</summary>
    public async IAsyncEnumerable<ResourceArchiveEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using (var gzip = new GZipStream(_hashing, CompressionMode.Decompress, leaveOpen: true))
        await using (var tar = new TarReader(gzip, leaveOpen: true))
        {
            while (await NextAsync(tar, cancellationToken) is { } entry)
            {
                if (entry.EntryType == TarEntryType.Directory)
                {
                    Refuse(entry.Name, ResourceEntryPath.Unsafe(entry.Name));
                    continue;
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    Refuse(entry.Name, entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink
                        ? $"a link (to '{entry.LinkName}'); archives of objects hold only files"
                        : $"a {entry.EntryType} entry; archives of objects hold only files");
                }

                if (!ResourceEntryPath.TryParse(entry.Name, out var path, out var error))
                {
                    Refuse(entry.Name, error);
                }

                if (entry.Length > MaxDocumentBytes)
                {
                    Refuse(entry.Name, $"{entry.Length:N0} bytes, more than any object can be ({MaxDocumentBytes:N0})");
                }

                yield return new ResourceArchiveEntry(path!, entry.Name, await ReadContentAsync(entry, cancellationToken));
            }
        }

        // The hash covers the whole file: the gzip trailer and anything after the tar's end marker.
        await _hashing.CopyToAsync(Stream.Null, cancellationToken);
    }

    private async Task<TarEntry?> NextAsync(TarReader tar, CancellationToken cancellationToken)
    {
        try
        {
            return await tar.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ArtifactRejectedException(artifactName, $"not a readable tar.gz archive ({e.Message})", e);
        }
    }

    private async Task<byte[]> ReadContentAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var content = new byte[entry.Length];
        try
        {
            if (entry.DataStream is { } data)
            {
                await data.ReadExactlyAsync(content, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ArtifactRejectedException(artifactName, $"entry '{entry.Name}' cannot be read ({e.Message})", e);
        }

        return content;
    }

    private void Refuse(string entryName, string? reason)
    {
        if (reason is not null)
        {
            throw new ArtifactRejectedException(artifactName, $"entry '{entryName}': {reason}");
        }
    }
}
