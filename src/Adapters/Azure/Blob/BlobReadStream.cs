using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// Reads a blob as one stream over as many ranged Get Blob responses as it takes: when a
/// connection drops part-way, the next read asks for the rest (<c>x-ms-range: bytes=N-</c>,
/// <c>If-Match</c> the first response's ETag) and goes on. Seeking starts a new range.
/// </summary>
internal sealed class BlobReadStream : Stream
{
    private readonly BlobContainer _container;
    private readonly string _blob;
    private readonly string _etag;
    private BlobDownload? _current;
    private long _position;
    private int _failures;

    private BlobReadStream(BlobContainer container, string blob, BlobDownload first)
    {
        _container = container;
        _blob = blob;
        _current = first;
        _etag = first.ETag;
        Length = first.Length;
    }

    public static async Task<BlobReadStream> OpenAsync(BlobContainer container, string blob, CancellationToken cancellationToken)
    {
        var first = await container.GetAsync(blob, 0, null, cancellationToken) ?? throw new ArtifactNotFoundException(blob);
        return new BlobReadStream(container, blob, first);
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_current is null)
            {
                _current = await _container.GetAsync(_blob, _position, _etag, cancellationToken) ?? throw new ArtifactNotFoundException(_blob);
            }

            int read;
            try
            {
                read = await _current.Body.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Drop(e);
                continue;
            }

            if (read == 0)
            {
                // The connection ended before the blob did.
                Drop(null);
                continue;
            }

            _position += read;
            _failures = 0;
            return read;
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _current?.Dispose();
            _current = null;
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    private void Drop(Exception? cause)
    {
        _current?.Dispose();
        _current = null;
        if (++_failures > _container.Options.DownloadResumeAttempts)
        {
            throw new StorageRequestException(
                $"Get Blob '{_container.Name}/{_blob}' failed: the connection dropped {_failures} times at byte {_position} of {Length}", 0, null, cause);
        }
    }
}
