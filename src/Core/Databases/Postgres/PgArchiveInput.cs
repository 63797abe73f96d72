using System.Buffers;
using System.Text;

namespace Strata.Core.Databases.Postgres;

/// <summary>
/// A custom-format archive read forward only, through one pooled buffer: bytes, integers and strings as
/// pg_dump writes them (an integer is a sign byte and <see cref="IntSize"/> little-endian bytes; a string
/// is an integer length, -1 for null, and that many bytes), with the byte offset of every read for errors.
/// Running out of bytes throws <see cref="EndOfStreamException"/>, which the parser turns into an error that
/// says what was being read.
/// </summary>
internal sealed class PgArchiveInput(Stream stream) : IDisposable
{
    /// <summary>The buffer's size: the most bytes <see cref="EnsureAsync"/> can promise at once.</summary>
    public const int BufferSize = 256 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private long _origin;
    private bool _ended;

    /// <summary>Bytes in an integer (the header's intSize; 4 for every pg_dump built since 2000).</summary>
    public int IntSize { get; set; } = 4;

    /// <summary>Offset in the archive of the next byte to read.</summary>
    public long Position => _origin + _start;

    /// <summary>Bytes received from the stream so far: at its end, the archive's length.</summary>
    public long Received => _origin + _end;

    /// <summary>The bytes buffered and not yet read.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Marks <paramref name="count"/> buffered bytes read.</summary>
    public void Advance(int count) => _start += count;

    /// <summary>Makes at least <paramref name="count"/> bytes (at most <see cref="BufferSize"/>) buffered; false when the archive ends first.</summary>
    public ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken) =>
        _end - _start >= count ? ValueTask.FromResult(true) : FillAsync(count, cancellationToken);

    /// <summary>Reads one byte.</summary>
    public async ValueTask<byte> ReadByteAsync(CancellationToken cancellationToken)
    {
        await RequireAsync(1, cancellationToken);
        return _buffer[_start++];
    }

    /// <summary>Reads an integer; <see cref="InvalidDataException"/> for one that does not fit 63 bits.</summary>
    public ValueTask<long> ReadIntAsync(CancellationToken cancellationToken)
    {
        return _end - _start > IntSize ? ValueTask.FromResult(ParseInt()) : Slow(cancellationToken);

        async ValueTask<long> Slow(CancellationToken cancellationToken)
        {
            await RequireAsync(1 + IntSize, cancellationToken);
            return ParseInt();
        }
    }

    /// <summary>Reads a string of at most <paramref name="maxBytes"/> bytes as UTF-8; null for pg_dump's null string.</summary>
    public async ValueTask<string?> ReadStringAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var at = Position;
        var length = await ReadIntAsync(cancellationToken);
        if (length == -1)
        {
            return null;
        }

        CheckLength(length, at);
        if (length > maxBytes)
        {
            throw new InvalidDataException($"a string of {length} bytes where at most {maxBytes} are expected at byte {at}");
        }

        var count = (int)length;
        if (count <= BufferSize)
        {
            await RequireAsync(count, cancellationToken);
            var text = Encoding.UTF8.GetString(_buffer, _start, count);
            _start += count;
            return text;
        }

        var bytes = new byte[count];
        for (var done = 0; done < count;)
        {
            await RequireAsync(1, cancellationToken);
            var n = Math.Min(count - done, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(bytes.AsSpan(done));
            _start += n;
            done += n;
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Skips a string without keeping it (definitions can be megabytes); false when it was the null string.</summary>
    public async ValueTask<bool> SkipStringAsync(CancellationToken cancellationToken)
    {
        var at = Position;
        var length = await ReadIntAsync(cancellationToken);
        if (length == -1)
        {
            return false;
        }

        CheckLength(length, at);
        await SkipAsync(length, cancellationToken);
        return true;
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            await RequireAsync(1, cancellationToken);
            var n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }
    }

    /// <summary>Makes at least one byte buffered; <see cref="EndOfStreamException"/> at the end of the archive.</summary>
    public ValueTask RequireAsync(int count, CancellationToken cancellationToken)
    {
        return _end - _start >= count ? ValueTask.CompletedTask : Slow(count, cancellationToken);

        async ValueTask Slow(int count, CancellationToken cancellationToken)
        {
            if (!await FillAsync(count, cancellationToken))
            {
                throw new EndOfStreamException();
            }
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private static void CheckLength(long length, long at)
    {
        if (length < 0)
        {
            throw new InvalidDataException($"a string of length {length} at byte {at}");
        }
    }

    private long ParseInt()
    {
        var at = Position;
        var sign = _buffer[_start];
        ulong value = 0;
        for (var i = 0; i < IntSize; i++)
        {
            value |= (ulong)_buffer[_start + 1 + i] << (8 * i);
        }

        _start += 1 + IntSize;
        if (value > long.MaxValue)
        {
            throw new InvalidDataException($"an integer out of range at byte {at}");
        }

        return sign == 0 ? (long)value : -(long)value;
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (count > BufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"at most {BufferSize} bytes can be buffered at once");
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _origin += _start;
            _end -= _start;
            _start = 0;
        }

        while (_end < count && !_ended)
        {
            var n = await stream.ReadAsync(_buffer.AsMemory(_end, BufferSize - _end), cancellationToken);
            _ended = n == 0;
            _end += n;
        }

        return _end >= count;
    }
}
