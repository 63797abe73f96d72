using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// The stream an artifact is written to. Content is cut into blocks that the SDK stages
/// (<see cref="BlockBlobClient.StageBlockAsync(string, Stream, BlockBlobStageBlockOptions, CancellationToken)"/>,
/// each with the checksum the service checks), several in flight while the next fills; a writer
/// that waits for a free slot is the back-pressure, so memory stays at about (concurrency + 1)
/// blocks whatever the artifact's size. The SHA-256 of the whole is computed as it is written and
/// stated on the commit (<see cref="ArtifactCommit"/>). The SDK's own uploaders do not fit:
/// <c>OpenWrite</c> only overwrites and stages one block at a time, and <c>Upload</c> reads from a
/// stream and takes the metadata before the content.
/// </summary>
internal sealed class StagedUploadStream : Stream
{
    private readonly BlockBlobClient _blob;
    private readonly string _resource;
    private readonly ArtifactCommit _commit;
    private readonly int _blockSize;
    private readonly long _singleUploadLimit;
    private readonly SemaphoreSlim _slots;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<string> _blockIds = [];
    private readonly List<Task> _uploads = [];
    private readonly CancellationTokenSource _abort = new();
    private byte[] _buffer;
    private int _filled;
    private long _length;
    private Exception? _failure;
    private bool _finished;

    public StagedUploadStream(BlockBlobClient blob, string key, BlobStoreOptions options, WriteOncePolicy? writeOnce)
    {
        _blob = blob;
        _resource = blob.BlobContainerName + "/" + key;
        _commit = new ArtifactCommit(blob, key, options, writeOnce);
        _blockSize = (int)Math.Clamp(options.Transfer.MaximumTransferSize ?? 8 << 20, 1, 4000L << 20);
        _singleUploadLimit = Math.Min(options.Transfer.InitialTransferSize ?? _blockSize, _blockSize);
        _slots = new SemaphoreSlim(Math.Max(1, options.Transfer.MaximumConcurrency ?? 4));
        _buffer = ArrayPool<byte>.Shared.Rent(_blockSize);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Append(buffer)..];
            if (_filled == _blockSize)
            {
                StageBlockAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Append(buffer.Span)..];
            if (_filled == _blockSize)
            {
                await StageBlockAsync(cancellationToken);
            }
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Uploads what is left and commits the blob (<see cref="ArtifactCommit"/>).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var sha256 = Convert.ToHexStringLower(_sha256.GetHashAndReset());
        if (_blockIds.Count == 0 && _filled <= _singleUploadLimit)
        {
            using var content = new MemoryStream(_buffer, 0, _filled, writable: false);
            await _commit.PutBlobAsync(content, sha256, _length, cancellationToken);
        }
        else
        {
            if (_filled > 0)
            {
                await StageBlockAsync(cancellationToken);
            }

            await Task.WhenAll(_uploads);
            ThrowIfFailed();
            await _commit.PutBlockListAsync(_blockIds, sha256, _length, cancellationToken);
        }

        Finish();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await AbandonAsync();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            AbandonAsync().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    /// <summary>Not committed: stop the uploads. The service discards uncommitted blocks by itself (after a week).</summary>
    private async Task AbandonAsync()
    {
        await _abort.CancelAsync();
        try
        {
            await Task.WhenAll(_uploads);
        }
        catch (Exception)
        {
            // The artifact is being abandoned; its upload errors no longer matter.
        }

        Finish();
    }

    private int Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        ThrowIfFailed();
        var taken = Math.Min(data.Length, _blockSize - _filled);
        data[..taken].CopyTo(_buffer.AsSpan(_filled));
        _sha256.AppendData(data[..taken]);
        _filled += taken;
        _length += taken;
        return taken;
    }

    private async Task StageBlockAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        ThrowIfFailed();
        var block = _buffer;
        var count = _filled;
        _buffer = ArrayPool<byte>.Shared.Rent(_blockSize);
        _filled = 0;
        var id = BlockId(_blockIds.Count);
        _blockIds.Add(id);
        _uploads.RemoveAll(t => t.IsCompletedSuccessfully);
        _uploads.Add(StageAsync(id, block, count));
    }

    private async Task StageAsync(string id, byte[] block, int count)
    {
        try
        {
            using var content = new MemoryStream(block, 0, count, writable: false);
            var options = new BlockBlobStageBlockOptions { TransferValidation = _commit.Validation };
            await StorageCall.RunAsync("Put Block", _resource, () => _blob.StageBlockAsync(id, content, options, _abort.Token), _abort.Token);
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
            _slots.Release();
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure is StorageRequestException ? failure : new IOException($"uploading '{_resource}' failed: {failure.Message}", failure);
        }
    }

    private void Finish()
    {
        _finished = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _sha256.Dispose();
        _abort.Dispose();
    }

    /// <summary>Block ids must all have the same length within a blob: a zero-padded index, base64.</summary>
    private static string BlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"block-{index:D8}"));
}
