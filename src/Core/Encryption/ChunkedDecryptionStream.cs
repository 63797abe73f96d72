using System.Security.Cryptography;

namespace Strata.Core.Encryption;

/// <summary>
/// Read-only: decrypts an artifact in <see cref="ChunkedFormat"/>, one authenticated chunk at a time (memory flat).
/// Nothing unauthenticated is ever returned: a chunk's plaintext is handed out only after its tag checks. A chunk is
/// taken as the final one exactly when the source ends after it, so a dropped tail, a reordered or flipped chunk,
/// an artifact moved to another path, or another data key fail with <see cref="ArtifactDecryptionException"/>.
/// </summary>
public sealed class ChunkedDecryptionStream : Stream
{
    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly string _artifactPath;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[ChunkedFormat.HeaderSize];
    private readonly byte[] _nonce = new byte[ChunkedFormat.NonceSize];
    private byte[] _associatedData = [];
    private byte[] _sealed = [];
    private byte[] _plain = [];
    private int _plainStart;
    private int _plainEnd;
    private int _carried;
    private uint _index;
    private bool _started;
    private bool _finished;
    private bool _disposed;

    /// <summary>Decrypts <paramref name="source"/>, the artifact at <paramref name="artifactPath"/> (relative to the backup).</summary>
    public ChunkedDecryptionStream(Stream source, DataKey key, string artifactPath, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(key);
        _source = source;
        _leaveOpen = leaveOpen;
        _artifactPath = artifactPath;
        _aes = new AesGcm(key.Bytes, ChunkedFormat.TagSize);
    }

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        while (_plainStart == _plainEnd && !_finished)
        {
            Fill(sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return Take(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_plainStart == _plainEnd && !_finished)
        {
            await Fill(sync: false, cancellationToken);
        }

        return Take(buffer.Span);
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int Take(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, count).CopyTo(buffer);
        _plainStart += count;
        return count;
    }

    // Reads the next sealed chunk, plus one byte beyond it: whether that byte exists says whether this is the final chunk.
    private async ValueTask Fill(bool sync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started)
        {
            await ReadHeader(sync, cancellationToken);
        }

        var read = _carried + await ReadAtLeast(_sealed.AsMemory(_carried), sync, cancellationToken);
        var final = read < _sealed.Length;
        var length = final ? read : _sealed.Length - 1;
        if (length < ChunkedFormat.TagSize)
        {
            throw Refused($"it ends inside chunk {_index} (truncated)");
        }

        if (!final && _index == uint.MaxValue)
        {
            throw Refused($"it has more than {uint.MaxValue} chunks");
        }

        ChunkedFormat.Nonce(_header, _index, final, _nonce);
        var plainLength = length - ChunkedFormat.TagSize;
        try
        {
            _aes.Decrypt(_nonce, _sealed.AsSpan(0, plainLength), _sealed.AsSpan(plainLength, ChunkedFormat.TagSize), _plain.AsSpan(0, plainLength), _associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            CryptographicOperations.ZeroMemory(_plain);
            throw Refused(
                $"chunk {_index} does not authenticate ({(final ? "it is the last chunk present: the artifact may be truncated, or " : "")}" +
                "tampered, reordered, moved from another artifact, or encrypted with another data key)",
                e);
        }

        _plainStart = 0;
        _plainEnd = plainLength;
        _index++;
        _finished = final;
        if (!final)
        {
            _sealed[0] = _sealed[^1];
            _carried = 1;
        }
    }

    private async ValueTask ReadHeader(bool sync, CancellationToken cancellationToken)
    {
        var read = await ReadAtLeast(_header, sync, cancellationToken);
        if (read < ChunkedFormat.HeaderSize || ChunkedFormat.ChunkSizeOf(_header) is not { } chunkSize)
        {
            throw Refused($"it does not start with a {ChunkedFormat.Magic} header (not encrypted by Strata, or damaged)");
        }

        _associatedData = ChunkedFormat.AssociatedData(_header, _artifactPath);
        _sealed = new byte[chunkSize + ChunkedFormat.TagSize + 1];
        _plain = new byte[chunkSize];
        _started = true;
    }

    private async ValueTask<int> ReadAtLeast(Memory<byte> buffer, bool sync, CancellationToken cancellationToken) =>
        sync
            ? _source.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false)
            : await _source.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);

    private ArtifactDecryptionException Refused(string reason, Exception? inner = null) => new(_artifactPath, reason, inner);
}
