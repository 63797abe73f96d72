namespace Strata.Core.Databases;

/// <summary>
/// Input announced as <paramref name="length"/> bytes: ending sooner is an error, not an end — a command cut to that
/// length (<c>head -c</c>) would otherwise wait forever for the rest where stdin cannot be closed (<c>v4.channel.k8s.io</c>).
/// </summary>
internal sealed class ExactLengthStream(Stream inner, long length) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer), buffer.Length);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken), buffer.Length);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read, int asked)
    {
        _read += read;
        return read == 0 && asked > 0 && _read < length
            ? throw new IOException($"the input ended after {_read:N0} of the {length:N0} bytes announced")
            : read;
    }
}
