using System.Formats.Tar;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Strata.Core.Artifacts;

/// <summary>
/// Reads <c>resources.tar.gz</c> entry by entry, refusing anything that could escape the folder it would be extracted
/// into or exhaust the machine reading it: absolute paths, <c>..</c>, links, devices, FIFOs, directories, paths outside
/// the layout, a path that appears twice, names or documents that are not UTF-8, gzip bombs, oversized tar metadata records and
/// documents too large to be objects (limits in <see cref="ArchiveLimits"/>). A refusal is an
/// <see cref="ArtifactRejectedException"/> naming the artifact, the entry or offset and the limit. The SHA-256 of the
/// compressed bytes is computed on the way, for comparison with the manifest once the archive is read.
/// </summary>
public sealed class ResourceArchiveReader(Stream source, string artifactName, ArchiveLimits? limits = null)
{
    /// <summary>The largest document accepted by default (<see cref="ArchiveLimits.MaxEntryBytes"/>).</summary>
    public const int MaxDocumentBytes = 8 * 1024 * 1024;

    private readonly HashingStream _hashing = new(source);

    /// <summary>The limits this reader enforces.</summary>
    public ArchiveLimits Limits { get; } = limits ?? ArchiveLimits.Default;

    /// <summary>Compressed bytes read.</summary>
    public long Bytes => _hashing.BytesHashed;

    /// <summary>SHA-256 of the compressed bytes; valid once <see cref="ReadAsync"/> has finished.</summary>
    public string Sha256Hex => _hashing.Sha256Hex;

    /// <summary>Every object document, in archive order. Throws <see cref="ArtifactRejectedException"/> at the first unsafe entry.</summary>
    public async IAsyncEnumerable<ResourceArchiveEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A hash of each path rather than the path: 16 bytes an entry, however long the paths.
        var seen = new HashSet<UInt128>();
        await using (var gzip = new GZipStream(_hashing, CompressionMode.Decompress, leaveOpen: true))
        await using (var inflated = new InflationLimitStream(gzip, _hashing, artifactName, Limits))
        await using (var guarded = new TarHeaderGuardStream(inflated, artifactName, Limits))
        await using (var tar = new TarReader(guarded, leaveOpen: true))
        {
            while (await NextAsync(tar, cancellationToken) is { } entry)
            {
                inflated.Entry = entry.Name;
                Refuse(entry.Name, Check(entry));
                if (!ResourceEntryPath.TryParse(entry.Name, out var path, out var error))
                {
                    Refuse(entry.Name, error);
                }

                if (!seen.Add(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(entry.Name.AsSpan()))))
                {
                    Refuse(entry.Name, "the same path appears twice; which one would be restored is not for the reader to guess");
                }

                var content = await ReadContentAsync(entry, cancellationToken);
                Refuse(entry.Name, JsonText.Problem(content));
                yield return new ResourceArchiveEntry(path!, entry.Name, content);
            }
        }

        // The hash covers the whole file: the gzip trailer and anything after the tar's end marker.
        await _hashing.CopyToAsync(Stream.Null, cancellationToken);
    }

    /// <summary>
    /// Throws <see cref="ArtifactRejectedException"/> when the document of <paramref name="entry"/> nests arrays and
    /// objects deeper than <see cref="ArchiveLimits.MaxJsonDepth"/>. Readers call it for a document whose parse failed
    /// (a <see cref="JsonException"/>): a merely malformed document is theirs to report, a hostile one refuses the archive.
    /// </summary>
    public void ThrowIfNestedTooDeep(ResourceArchiveEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (JsonNesting.Exceeds(entry.Content, Limits.MaxJsonDepth))
        {
            throw new ArtifactRejectedException(artifactName,
                $"entry '{entry.RawPath}': the document nests arrays and objects deeper than {Limits.MaxJsonDepth} " +
                $"(limit {nameof(ArchiveLimits)}.{nameof(ArchiveLimits.MaxJsonDepth)}); nothing from the archive is used");
        }
    }

    private string? Check(TarEntry entry)
    {
        if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal) || entry.LinkName.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return "the name is not valid UTF-8";
        }

        if (entry.EntryType == TarEntryType.Directory)
        {
            return ResourceEntryPath.Unsafe(entry.Name) ?? "a directory; archives of objects hold only files";
        }

        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            return entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink
                ? $"a link (to '{entry.LinkName}'); archives of objects hold only files"
                : $"a {entry.EntryType} entry; archives of objects hold only files";
        }

        return entry.Length > Limits.MaxEntryBytes
            ? $"{entry.Length:N0} bytes, more than any object can be (limit {nameof(ArchiveLimits)}.{nameof(ArchiveLimits.MaxEntryBytes)}, {Limits.MaxEntryBytes:N0})"
            : null;
    }

    private async Task<TarEntry?> NextAsync(TarReader tar, CancellationToken cancellationToken)
    {
        try
        {
            return await tar.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException or NotSupportedException)
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
