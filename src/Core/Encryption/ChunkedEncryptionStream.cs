using System.Security.Cryptography;

namespace Strata.Core.Encryption;

/// <summary>
/// Write-only: encrypts what is written to it into <see cref="ChunkedFormat"/> on a destination stream, one chunk
/// buffer at a time, so memory stays flat whatever the artifact's size. A full chunk is sealed only when more bytes
/// follow it, so the final chunk (0..chunk-size bytes, flagged final) is written by <see cref="CompleteAsync"/> or,
/// failing that, by Dispose.
/// </summary>
public sealed class ChunkedEncryptionStream : Stream
{
    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly string _artifactPath;
    private readonly AesGcm _aes;
    private readonly byte[] _header;
    private readonly byte[] _associatedData;
    private readonly byte[] _plain;
    private readonly byte[] _sealed;
    private readonly byte[] _nonce = new byte[ChunkedFormat.NonceSize];
    private int _buffered;
    private uint _index;
    private bool _headerWritten;
    private bool _completed;
    private bool _disposed;

    /// <summary>Encrypts onto <paramref name="destination"/> as <paramref name="artifactPath"/> (the path relative to the backup, bound into every chunk).</summary>
    public ChunkedEncryptionStream(Stream destination, DataKey key, string artifactPath, int chunkSize = ChunkedFormat.DefaultChunkSize, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(key);
        _destination = destination;
        _leaveOpen = leaveOpen;
        _artifactPath = artifactPath;
        _header = ChunkedFormat.NewHeader(chunkSize);
        _associatedData = ChunkedFormat.AssociatedData(_header, artifactPath);
        _aes = new AesGcm(key.Bytes, ChunkedFormat.TagSize);
        _plain = new byte[chunkSize];
        _sealed = new byte[chunkSize + ChunkedFormat.TagSize];
    }

    /// <summary>Plaintext bytes written so far.</summary>
    public long PlaintextBytes { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => !_completed;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => PlaintextBytes; set => throw new NotSupportedException(); }

    /// <summary>Seals the final chunk and flushes; nothing may be written after.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        await WriteSealedAsync(Seal(final: true), cancellationToken);
        await _destination.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (Append(ref buffer) is { } chunk)
            {
                WriteSealed(chunk);
            }
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var span = buffer.Span;
            var before = span.Length;
            var chunk = Append(ref span);
            buffer = buffer[(before - span.Length)..];
            if (chunk is { } sealedChunk)
            {
                await WriteSealedAsync(sealedChunk, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public override void Flush() => _destination.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _destination.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            try
            {
                await CompleteAsync();
            }
            finally
            {
                Release();
                if (!_leaveOpen)
                {
                    await _destination.DisposeAsync();
                }
            }
        }

        await base.DisposeAsync();
    }

    /// <summary>Releases the key without sealing the final chunk: the artifact is being discarded.</summary>
    internal void Abandon()
    {
        _completed = true;
        Release();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            try
            {
                if (!_completed)
                {
                    _completed = true;
                    WriteSealed(Seal(final: true));
                    _destination.Flush();
                }
            }
            finally
            {
                Release();
                if (!_leaveOpen)
                {
                    _destination.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    // Buffers bytes from the front of `buffer`; when the buffer is full and more bytes are waiting, seals it as a
    // non-final chunk and returns it (a full buffer with nothing after it may still be the final chunk).
    private ReadOnlyMemory<byte>? Append(ref ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_buffered == _plain.Length)
        {
            return Seal(final: false);
        }

        var take = Math.Min(buffer.Length, _plain.Length - _buffered);
        buffer[..take].CopyTo(_plain.AsSpan(_buffered));
        _buffered += take;
        PlaintextBytes += take;
        buffer = buffer[take..];
        return null;
    }

    private ReadOnlyMemory<byte> Seal(bool final)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_index == uint.MaxValue && !final)
        {
            throw new InvalidOperationException($"'{_artifactPath}' is too large for the chunked format ({uint.MaxValue} chunks)");
        }

        ChunkedFormat.Nonce(_header, _index, final, _nonce);
        var length = _buffered;
        _aes.Encrypt(_nonce, _plain.AsSpan(0, length), _sealed.AsSpan(0, length), _sealed.AsSpan(length, ChunkedFormat.TagSize), _associatedData);
        _buffered = 0;
        _index++;
        return _sealed.AsMemory(0, length + ChunkedFormat.TagSize);
    }

    private void WriteSealed(ReadOnlyMemory<byte> chunk)
    {
        if (!_headerWritten)
        {
            _destination.Write(_header);
            _headerWritten = true;
        }

        _destination.Write(chunk.Span);
    }

    private async ValueTask WriteSealedAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (!_headerWritten)
        {
            await _destination.WriteAsync(_header, cancellationToken);
            _headerWritten = true;
        }

        await _destination.WriteAsync(chunk, cancellationToken);
    }

    private void Release()
    {
        if (!_disposed)
        {
            _disposed = true;
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }
    }
}
