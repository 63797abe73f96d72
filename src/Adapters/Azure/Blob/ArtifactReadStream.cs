using global::Azure;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Models;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// An artifact read as one streamed Get Blob (<c>BlobClient.DownloadStreamingAsync</c>):
/// the SDK's retriable stream resumes a dropped connection from the byte it reached, with
/// <c>If-Match</c> on the blob's ETag. A seek starts a new ranged download of the same version.
/// Failures become <see cref="StorageRequestException"/> like every other storage call. One
/// streamed response rather than the SDK's <c>OpenReadAsync</c>, which reads in ranged requests
/// of a fixed size: against Azurite that was a third of the speed at 4 MiB ranges.
/// </summary>
internal sealed class ArtifactReadStream : Stream
{
    private const string Operation = "Get Blob";

    private readonly BlobClient _blob;
    private readonly string _resource;
    private readonly ETag _etag;
    private Stream? _content;
    private long _position;

    private ArtifactReadStream(BlobClient blob, string resource, BlobDownloadStreamingResult first)
    {
        _blob = blob;
        _resource = resource;
        _etag = first.Details.ETag;
        _content = first.Content;
        Length = first.Details.ContentLength;
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

    /// <summary>Starts the download; a missing blob fails here with the service's 404.</summary>
    public static async Task<ArtifactReadStream> OpenAsync(BlobClient blob, string resource, CancellationToken cancellationToken)
    {
        var first = await StorageCall.RunAsync(
            Operation, resource, async () => (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value, cancellationToken);
        return new ArtifactReadStream(blob, resource, first);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        try
        {
            _content ??= (await _blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Range = new HttpRange(_position), Conditions = new BlobRequestConditions { IfMatch = _etag } },
                cancellationToken)).Value.Content;
            var read = await _content.ReadAsync(buffer, cancellationToken);
            _position += read;
            return read;
        }
        catch (Exception e) when (StorageRequestException.From(e, Operation, _resource, cancellationToken) is { } failure)
        {
            throw failure;
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
            _content?.Dispose();
            _content = null;
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
            _content?.Dispose();
            _content = null;
        }

        base.Dispose(disposing);
    }
}
