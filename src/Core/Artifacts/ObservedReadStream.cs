namespace Strata.Core.Artifacts;

/// <summary>
/// A forward-only read stream that shows every byte read from <paramref name="inner"/> to <see cref="Observe"/> before
/// handing it on: a guard throws there, so the bytes that break a limit never reach the reader above it.
/// </summary>
internal abstract class ObservedReadStream(Stream inner) : Stream
{
    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <summary>Sees <paramref name="read"/>, which starts at offset <see cref="BytesRead"/>; throws to refuse it.</summary>
    protected abstract void Observe(ReadOnlySpan<byte> read);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Pass(buffer[..read]);
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Inflating mostly completes synchronously: no state machine then (the tar reader reads several times an entry).
        var pending = inner.ReadAsync(buffer, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            var read = pending.Result;
            Pass(buffer.Span[..read]);
            return new ValueTask<int>(read);
        }

        return AwaitAsync(pending, buffer);
    }

    private async ValueTask<int> AwaitAsync(ValueTask<int> pending, Memory<byte> buffer)
    {
        var read = await pending;
        Pass(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Pass(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
        {
            Observe(read);
            BytesRead += read.Length;
        }
    }
}
