namespace Strata.Core.Artifacts;

/// <summary>
/// A forward-only read stream that shows every byte read from <paramref name="inner"/> to <see cref="Observe"/> before
/// handing it on: a guard throws there, so the bytes that break a limit never reach the reader above it. It also
/// remembers the first exception reading <paramref name="inner"/> threw (<see cref="ReadFailure"/>): a reader above
/// that swallows it (a process whose stdin merely breaks off) cannot hide what went wrong.
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

    /// <summary>The first exception reading the inner stream threw (not one <see cref="Observe"/> threw); null while none did.</summary>
    public Exception? ReadFailure { get; private set; }

    /// <summary>Sees <paramref name="read"/>, which starts at offset <see cref="BytesRead"/>; throws to refuse it.</summary>
    protected abstract void Observe(ReadOnlySpan<byte> read);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (Exception e) when (Remember(e))
        {
            throw; // never reached: Remember only records
        }

        Pass(buffer[..read]);
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Inflating mostly completes synchronously: no state machine then (the tar reader reads several times an entry).
        ValueTask<int> pending;
        try
        {
            pending = inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (Remember(e))
        {
            throw; // never reached: Remember only records
        }

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
        int read;
        try
        {
            read = await pending;
        }
        catch (Exception e) when (Remember(e))
        {
            throw; // never reached: Remember only records
        }

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

    private bool Remember(Exception failure)
    {
        ReadFailure ??= failure;
        return false;
    }

    private void Pass(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
        {
            Observe(read);
            BytesRead += read.Length;
        }
    }
}
