namespace Strata.Core.Databases;

/// <summary>A read-only stream of <paramref name="prefix"/> followed by <paramref name="rest"/> (secrets, then the input); <paramref name="rest"/> stays its owner's to dispose.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
{
    private int _sent;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_sent < prefix.Length)
        {
            var n = Math.Min(buffer.Length, prefix.Length - _sent);
            prefix.AsSpan(_sent, n).CopyTo(buffer);
            _sent += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _sent < prefix.Length ? Read(buffer.Span) : await rest.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
