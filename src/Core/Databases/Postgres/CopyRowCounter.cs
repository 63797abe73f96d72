namespace Strata.Core.Databases.Postgres;

/// <summary>
/// Counts the rows of COPY text data as it streams past: COPY's text format ends every row with a newline
/// and escapes newlines inside values (<c>\n</c>), so rows are newlines. pg_dump ends a table's data with
/// the end-of-copy marker <c>\.</c> and two blank lines (<c>\.\n\n\n</c>, written by every pg_dump from 8.x to
/// 18), which are not rows; a marker line cannot be a row, since COPY writes a backslash in a value as
/// <c>\\</c>. Data without the marker counts every line.
/// </summary>
internal sealed class CopyRowCounter
{
    private const int TailLength = 6;
    private readonly byte[] _tail = new byte[TailLength];
    private long _newlines;
    private long _bytes;

    /// <summary>Bytes counted so far.</summary>
    public long Bytes => _bytes;

    /// <summary>Counts the newlines in the next piece of data.</summary>
    public void Add(ReadOnlySpan<byte> data)
    {
        _newlines += data.Count((byte)'\n');
        _bytes += data.Length;
        if (data.Length >= TailLength)
        {
            data[^TailLength..].CopyTo(_tail);
        }
        else if (data.Length > 0)
        {
            _tail.AsSpan(data.Length).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(TailLength - data.Length));
        }
    }

    /// <summary>Rows in the data added: lines, less the end-of-copy marker's.</summary>
    public long Rows => _newlines - MarkerLines();

    private long MarkerLines()
    {
        if (EndsWithMarkerLine(@"\." + "\n\n\n"))
        {
            return 3;
        }

        return EndsWithMarkerLine(@"\." + "\n") ? 1 : 0;
    }

    /// <summary>Whether the data ends with <paramref name="marker"/> and the marker starts a line.</summary>
    private bool EndsWithMarkerLine(string marker)
    {
        if (_bytes < marker.Length)
        {
            return false;
        }

        var tail = _tail.AsSpan(TailLength - Math.Min(TailLength, (int)_bytes));
        for (var i = 0; i < marker.Length; i++)
        {
            if (tail[tail.Length - marker.Length + i] != marker[i])
            {
                return false;
            }
        }

        return _bytes == marker.Length || tail[tail.Length - marker.Length - 1] == (byte)'\n';
    }
}
