using System.Buffers;

namespace Strata.Core.Databases.MySql;

/// <summary>The scanner inside special text: comment openers, quotes and escapes, block and line comments, DELIMITER blocks.</summary>
internal sealed partial class MySqlScriptScanner
{
    private int Dash(ReadOnlySpan<byte> data, int i, bool final)
    {
        if (i + 2 >= data.Length && !final)
        {
            return NeedMore(i);
        }

        if (i + 1 < data.Length && data[i + 1] == '-' && (i + 2 == data.Length || data[i + 2] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            _mode = Mode.LineComment;
            _lineAtColumnZero = _atLineStart;
            _lineLength = 0;
            return i + 2;
        }

        Keep(data.Slice(i, 1));
        return i + 1;
    }

    private int Slash(ReadOnlySpan<byte> data, int i, bool final)
    {
        if (i + 3 >= data.Length && !final)
        {
            return NeedMore(i);
        }

        var comment = i + 1 < data.Length && data[i + 1] == '*';
        var executable = comment && i + 2 < data.Length && (data[i + 2] == '!' || (data[i + 2] == 'M' && i + 3 < data.Length && data[i + 3] == '!'));
        if (comment && !executable)
        {
            _mode = Mode.BlockComment;
            return i + 2;
        }

        Keep(data.Slice(i, 1));
        return i + 1;
    }

    private int Quoted(ReadOnlySpan<byte> data, int i, bool final, SearchValues<byte> stops)
    {
        var rest = data[i..];
        var j = rest.IndexOfAny(stops);
        if (j < 0)
        {
            Keep(rest);
            return data.Length;
        }

        Keep(rest[..j]);
        i += j;
        if (data[i] == '\\')
        {
            if (i + 1 >= data.Length)
            {
                return final ? data.Length : NeedMore(i);
            }

            Keep(data.Slice(i, 2));
            return i + 2;
        }

        Keep(data.Slice(i, 1));
        _mode = Mode.Normal;
        return i + 1;
    }

    /// <summary>Stops the scan at <paramref name="i"/>: what follows decides what the byte there is.</summary>
    private int NeedMore(int i)
    {
        _needMore = true;
        return i;
    }

    private int Backtick(ReadOnlySpan<byte> data, int i)
    {
        var rest = data[i..];
        var j = rest.IndexOf((byte)'`');
        Keep(j < 0 ? rest : rest[..(j + 1)]);
        if (j < 0)
        {
            return data.Length;
        }

        _mode = Mode.Normal;
        return i + j + 1;
    }

    private int BlockComment(ReadOnlySpan<byte> data, int i, bool final)
    {
        var j = data[i..].IndexOf((byte)'*');
        if (j < 0)
        {
            return data.Length;
        }

        i += j;
        if (i + 1 >= data.Length)
        {
            return final ? data.Length : NeedMore(i);
        }

        if (data[i + 1] == '/')
        {
            _mode = Mode.Normal;
            return i + 2;
        }

        return i + 1;
    }

    private int LineComment(ReadOnlySpan<byte> data, int i)
    {
        var rest = data[i..];
        var j = rest.IndexOf((byte)'\n');
        KeepLine(j < 0 ? rest : rest[..j]);
        if (j < 0)
        {
            return data.Length;
        }

        EndComment();
        _atLineStart = true;
        return i + j + 1;
    }

    private void EndComment()
    {
        _mode = Mode.Normal;
        if (_lineAtColumnZero)
        {
            switch (Comments.Read(LineText()))
            {
                case MySqlCommentKind.Trailer:
                    _trailerLast = true;
                    break;
                case MySqlCommentKind.Host when Comments.Database is { Length: > 0 } database:
                    CurrentDatabase = database;
                    Databases.Add(database);
                    break;
                case MySqlCommentKind.DataFor when Comments.LastDataTable is { } table:
                    var key = (CurrentDatabase, table);
                    _tables[key] = _tables.GetValueOrDefault(key) ?? 0;
                    break;
            }
        }
    }

    private int CustomDelimiterLine(ReadOnlySpan<byte> data, int i)
    {
        var rest = data[i..];
        var j = rest.IndexOf((byte)'\n');
        KeepLine(j < 0 ? rest : rest[..j]);
        if (j < 0)
        {
            return data.Length;
        }

        if (DelimiterIn(_line.AsSpan(0, _lineLength)) is ";")
        {
            _mode = Mode.Normal;
        }

        _lineLength = 0;
        _atLineStart = true;
        return i + j + 1;
    }
}
