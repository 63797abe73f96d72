namespace Strata.Core.Databases.Postgres;

/// <summary>
/// The payload of one data block (or one large object) as a stream: pg_dump writes it as chunks, each an
/// integer length and that many bytes, ending with a zero length; this stream reads the chunks' bytes in
/// order and ends at the zero length, so a decompressor can read through them. It remembers the last four
/// payload bytes (a zlib stream's Adler-32 trailer). Read asynchronously only.
/// </summary>
internal sealed class PgChunkStream(PgArchiveInput input) : Stream
{
    private long _chunkLeft;

    /// <summary>Whether the zero-length chunk that ends the payload has been read.</summary>
    public bool Ended { get; private set; }

    /// <summary>Payload bytes read so far.</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>The last four payload bytes read, big-endian.</summary>
    public uint LastFour { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => PayloadBytes; set => throw new NotSupportedException(); }

    /// <summary>
    /// Whether a read of this stream threw (the input failed, or its chunks did not parse): an error a decoder reading
    /// it raises is then this stream's, not the decoder's verdict on the bytes.
    /// </summary>
    public bool Faulted { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadChunkedAsync(buffer, cancellationToken);
        }
        catch
        {
            Faulted = true;
            throw;
        }
    }

    private async ValueTask<int> ReadChunkedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.Length == 0 || !await NextChunkAsync(cancellationToken))
        {
            return 0;
        }

        await input.RequireAsync(1, cancellationToken);
        var n = (int)Math.Min(Math.Min(_chunkLeft, buffer.Length), input.Buffered.Length);
        var piece = input.Buffered[..n];
        piece.CopyTo(buffer.Span);
        Remember(piece);
        input.Advance(n);
        _chunkLeft -= n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads the rest of the payload, handing each piece to <paramref name="sink"/> straight from the archive's buffer.</summary>
    public async Task ReadToEndAsync(Action<ReadOnlySpan<byte>>? sink, CancellationToken cancellationToken)
    {
        while (await NextChunkAsync(cancellationToken))
        {
            await input.RequireAsync(1, cancellationToken);
            var n = (int)Math.Min(_chunkLeft, input.Buffered.Length);
            var piece = input.Buffered[..n];
            sink?.Invoke(piece);
            Remember(piece);
            input.Advance(n);
            _chunkLeft -= n;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Moves to a chunk with bytes left; false once the zero-length chunk is read.</summary>
    private async ValueTask<bool> NextChunkAsync(CancellationToken cancellationToken)
    {
        while (_chunkLeft == 0 && !Ended)
        {
            var at = input.Position;
            var length = await input.ReadIntAsync(cancellationToken);
            if (length < 0)
            {
                throw new InvalidDataException($"a chunk of length {length} at byte {at}");
            }

            Ended = length == 0;
            _chunkLeft = length;
        }

        return !Ended;
    }

    private void Remember(ReadOnlySpan<byte> piece)
    {
        PayloadBytes += piece.Length;
        foreach (var b in piece.Length > 4 ? piece[^4..] : piece)
        {
            LastFour = (LastFour << 8) | b;
        }
    }
}
