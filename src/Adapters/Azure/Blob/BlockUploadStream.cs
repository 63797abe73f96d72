using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Strata.Core.Ports;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// The stream an artifact is written to. Content is cut into blocks of
/// <see cref="StorageClientOptions.BlockSize"/>; up to <see cref="StorageClientOptions.UploadParallelism"/>
/// blocks are in flight while the next fills, so memory stays at about (parallelism + 1) blocks
/// whatever the artifact's size. A writer that waits for a free slot is the back-pressure.
/// Commit sends Put Block List (or, for a small artifact, one Put Blob) with
/// <c>If-None-Match: *</c> and the SHA-256 of the whole.
/// </summary>
internal sealed class BlockUploadStream : Stream
{
    private readonly BlobContainer _container;
    private readonly string _blob;
    private readonly Func<WriteOnceLock?> _lock;
    private readonly bool _lockAfterCommit;
    private readonly int _blockSize;
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

    public BlockUploadStream(BlobContainer container, string blob, Func<WriteOnceLock?> writeOnce, bool lockAfterCommit)
    {
        _container = container;
        _blob = blob;
        _lock = writeOnce;
        _lockAfterCommit = lockAfterCommit;
        _blockSize = container.Options.BlockSize;
        _slots = new SemaphoreSlim(Math.Max(1, container.Options.UploadParallelism));
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
            var taken = Append(buffer);
            buffer = buffer[taken..];
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
            var taken = Append(buffer.Span);
            buffer = buffer[taken..];
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

    /// <summary>Uploads what is left and commits the blob; returns its SHA-256 (lowercase hex).</summary>
    public async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var sha256 = Convert.ToHexStringLower(_sha256.GetHashAndReset());
        var writeOnce = _lock();
        var commit = new BlobCommit(sha256, _lockAfterCommit ? null : writeOnce);
        try
        {
            if (_blockIds.Count == 0 && _filled <= _container.Options.SingleUploadLimit)
            {
                await _container.PutBlobAsync(_blob, _buffer.AsMemory(0, _filled), commit, cancellationToken);
            }
            else
            {
                if (_filled > 0)
                {
                    await StageBlockAsync(cancellationToken);
                }

                await Task.WhenAll(_uploads);
                ThrowIfFailed();
                await _container.PutBlockListAsync(_blob, _blockIds, commit, cancellationToken);
            }
        }
        catch (StorageRequestException e) when (e.ErrorCode is "BlobAlreadyExists" || e.Status == 412)
        {
            // A retried commit whose first try did land finds its own blob: same hash, same size.
            var existing = await _container.GetPropertiesAsync(_blob, cancellationToken);
            if (existing is null || existing.Sha256 != sha256 || existing.Length != _length)
            {
                throw new ArtifactExistsException(_blob);
            }
        }

        if (_lockAfterCommit && writeOnce is not null)
        {
            await _container.SetImmutabilityPolicyAsync(_blob, writeOnce.Until, writeOnce.Mode, cancellationToken);
            if (writeOnce.LegalHold)
            {
                await _container.SetLegalHoldAsync(_blob, true, cancellationToken);
            }
        }

        Finish();
        return sha256;
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

    /// <summary>Not committed: stop the uploads. The service discards uncommitted blocks by itself.</summary>
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
        _uploads.Add(UploadAsync(id, block, count));
    }

    private async Task UploadAsync(string id, byte[] block, int count)
    {
        try
        {
            await _container.PutBlockAsync(_blob, id, block.AsMemory(0, count), _abort.Token);
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
            throw new IOException($"uploading '{_blob}' failed: {failure.Message}", failure);
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
