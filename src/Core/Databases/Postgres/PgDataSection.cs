using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;

namespace Strata.Core.Databases.Postgres;

/// <summary>
/// Reads the data section that follows the table of contents to the end of the archive: blocks of table
/// data (a <c>BLK_DATA</c> byte, the entry's dump id, the payload's chunks) and of large objects (a
/// <c>BLK_BLOBS</c> byte, the dump id, then per object its oid and chunks, ending with oid 0). Zlib payloads
/// are decoded and checked against their Adler-32 trailer, COPY text is counted in rows; nothing is kept.
/// Told not to decode, it walks every payload's chunks to their end and no further.
/// </summary>
internal sealed class PgDataSection
{
    private const byte DataBlock = 1;
    private const byte LargeObjectsBlock = 3;
    private const int DecodeBufferSize = 256 * 1024;

    private readonly PgArchiveInput _input;
    private readonly PgArchiveHeader _header;
    private readonly PgTableOfContents _toc;
    private readonly byte[]? _decoded;

    private PgDataSection(PgArchiveInput input, PgArchiveHeader header, PgTableOfContents toc, byte[]? decoded) =>
        (_input, _header, _toc, _decoded) = (input, header, toc, decoded);

    /// <summary>Large objects found in the data blocks.</summary>
    public long LargeObjects { get; private set; }

    /// <summary>Data blocks read.</summary>
    public int Blocks { get; private set; }

    /// <summary>Reads every data block to the end of the archive, decoding the payloads when <paramref name="decode"/> is set.</summary>
    public static async Task<PgDataSection> ReadAsync(PgArchiveInput input, PgArchiveHeader header, PgTableOfContents toc, bool decode, CancellationToken cancellationToken)
    {
        var decoded = decode ? ArrayPool<byte>.Shared.Rent(DecodeBufferSize) : null;
        var section = new PgDataSection(input, header, toc, decoded);
        try
        {
            while (await input.EnsureAsync(1, cancellationToken))
            {
                await section.ReadBlockAsync(cancellationToken);
                section.Blocks++;
            }

            return section;
        }
        finally
        {
            if (decoded is not null)
            {
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }
    }

    private async Task ReadBlockAsync(CancellationToken cancellationToken)
    {
        var at = _input.Position;
        var type = await _input.ReadByteAsync(cancellationToken);
        if (type is not (DataBlock or LargeObjectsBlock))
        {
            throw new InvalidDataException($"a data block of unknown type {type} at byte {at}");
        }

        long id;
        try
        {
            id = await _input.ReadIntAsync(cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"the dump ends inside the header of a data block at byte {_input.Received}");
        }

        var entry = id is > 0 and <= int.MaxValue && _toc.DataEntries.TryGetValue((int)id, out var e) ? e
            : throw new InvalidDataException($"a data block for dump id {id}, which the table of contents lists with no data, at byte {at}");
        if (entry.Read)
        {
            throw new InvalidDataException($"a second data block for {entry} at byte {at}");
        }

        if ((type == LargeObjectsBlock) != (entry.Description == "BLOBS"))
        {
            throw new InvalidDataException($"a {(type == LargeObjectsBlock ? "large-object" : "table-data")} block for {entry} at byte {at}");
        }

        try
        {
            if (type == DataBlock)
            {
                await ReadTableDataAsync(entry, cancellationToken);
            }
            else
            {
                await ReadLargeObjectsAsync(cancellationToken);
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"the data of {entry}, from byte {at}, ends at byte {_input.Received}: the dump is truncated");
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"the data of {entry}, from byte {at}, is damaged near byte {_input.Position}: {ex.Message}", ex);
        }

        entry.Read = true;
    }

    private async Task ReadTableDataAsync(PgDataEntry entry, CancellationToken cancellationToken)
    {
        var counter = new CopyRowCounter();
        var decoded = await ReadPayloadAsync(counter, cancellationToken);
        entry.Rows = decoded && entry.IsCopy ? counter.Rows : null;
    }

    private async Task ReadLargeObjectsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = _input.Position;
            var oid = await _input.ReadIntAsync(cancellationToken);
            if (oid == 0)
            {
                return;
            }

            try
            {
                await ReadPayloadAsync(null, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"large object {(uint)oid} from byte {at}: {ex.Message}", ex);
            }

            LargeObjects++;
        }
    }

    /// <summary>Reads one payload to its zero-length chunk, decoding it into <paramref name="counter"/>; false when it is not decoded (walking, or a compression not decoded here).</summary>
    private async Task<bool> ReadPayloadAsync(CopyRowCounter? counter, CancellationToken cancellationToken)
    {
        var chunks = new PgChunkStream(_input);
        switch (_decoded is null ? (PgDumpCompression?)null : _header.Compression)
        {
            case PgDumpCompression.None:
                await chunks.ReadToEndAsync(counter is null ? null : counter.Add, cancellationToken);
                return true;
            case PgDumpCompression.Gzip:
                await InflateAsync(chunks, counter, cancellationToken);
                return true;
            default:
                await chunks.ReadToEndAsync(null, cancellationToken);
                return false;
        }
    }

    /// <summary>
    /// Inflates a zlib payload. .NET's decoder ends quietly at the end of its input, complete or not, so the
    /// stream's Adler-32 trailer is checked here: a payload cut short, or with bytes after its end, fails it.
    /// </summary>
    private async Task InflateAsync(PgChunkStream chunks, CopyRowCounter? counter, CancellationToken cancellationToken)
    {
        var buffer = _decoded!;
        var adler = new Adler32();
        await using (var zlib = new ZLibStream(chunks, CompressionMode.Decompress, leaveOpen: true))
        {
            try
            {
                int n;
                while ((n = await zlib.ReadAsync(buffer.AsMemory(0, DecodeBufferSize), cancellationToken)) > 0)
                {
                    var piece = buffer.AsSpan(0, n);
                    adler.Append(piece);
                    counter?.Add(piece);
                }
            }
            catch (IOException e) when (!chunks.Faulted)
            {
                // Most damage reads as InvalidDataException; some (a header asking for a preset dictionary) makes zlib
                // return a code .NET raises as its internal ZLibException, an IOException. The input did not fail here,
                // so it is the bytes.
                throw new InvalidDataException($"the zlib stream is corrupt ({e.Message})", e);
            }
        }

        var payload = chunks.PayloadBytes;
        await chunks.ReadToEndAsync(null, cancellationToken);
        if (chunks.PayloadBytes == 0)
        {
            return; // nothing was written (an empty large object, from pg_dump 16 on)
        }

        if (chunks.PayloadBytes != payload)
        {
            throw new InvalidDataException($"{chunks.PayloadBytes - payload} bytes follow the end of the zlib stream");
        }

        if (chunks.LastFour != adler.GetCurrentHashAsUInt32())
        {
            throw new InvalidDataException("the zlib stream is incomplete or corrupt (its Adler-32 checksum does not match)");
        }
    }
}
