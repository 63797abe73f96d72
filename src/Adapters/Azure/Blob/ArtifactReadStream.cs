namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// The SDK's read stream (<c>BlobClient.OpenReadAsync</c>: seekable, ranged Get Blob calls with
/// <c>If-Match</c> on the ETag, each resumed from where its connection dropped), with its failures
/// translated into <see cref="StorageRequestException"/> like every other storage call.
/// </summary>
internal sealed class ArtifactReadStream(Stream inner, string resource) : Stream
{
    private const string Operation = "Get Blob";

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception e) when (StorageRequestException.From(e, Operation, resource) is { } failure)
        {
            throw failure;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (StorageRequestException.From(e, Operation, resource, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
