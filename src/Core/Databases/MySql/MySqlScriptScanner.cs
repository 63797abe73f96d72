using System.Buffers;
using System.Text;

namespace Strata.Core.Databases.MySql;

/// <summary>
/// Splits a dump script into statements as the <c>mysql</c> client does — quotes (<c>'…'</c> and <c>"…"</c>
/// with backslash escapes, <c>`…`</c>), <c>-- </c> and <c>/* */</c> comments, executable comments
/// (<c>/*!40101 … */</c>) read as SQL, and <c>DELIMITER</c> — over pieces of any size, keeping only the first
/// bytes of each statement. INSERT rows are counted as the top-level parenthesised tuples after VALUES.
/// Bodies of triggers, routines and events (between <c>DELIMITER ;;</c> and <c>DELIMITER ;</c>) are skipped
/// line by line, so an INSERT inside a procedure is not taken for data. Comment lines at the start of a line
/// carry the header and the trailer (<see cref="MySqlScriptComments"/>).
/// </summary>
internal sealed class MySqlScriptScanner
{
    private const int PrefixCapacity = 512;
    private const int LineCapacity = 1024;
    private static readonly SearchValues<byte> Specials = SearchValues.Create("'\"`();\n-/"u8);
    private static readonly SearchValues<byte> SingleQuoteStops = SearchValues.Create("'\\"u8);
    private static readonly SearchValues<byte> DoubleQuoteStops = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> Blanks = SearchValues.Create(" \t\r"u8);

    private readonly byte[] _prefix = new byte[PrefixCapacity];
    private readonly byte[] _line = new byte[LineCapacity];
    private readonly Dictionary<(string Database, string Table), long?> _tables = [];
    private Mode _mode;
    private long _offset;
    private bool _atLineStart = true;
    private bool _inStatement;
    private bool _statementAtLineStart;
    private int _prefixLength;
    private MySqlStatementHead? _head;
    private int _depth;
    private long _groups;
    private int _lineLength;
    private bool _lineAtColumnZero;
    private bool _trailerLast;
    private bool _needMore;

    private enum Mode
    {
        Normal,
        SingleQuote,
        DoubleQuote,
        Backtick,
        BlockComment,
        LineComment,
        CustomDelimiter,
    }

    /// <summary>The header and trailer lines read so far.</summary>
    public MySqlScriptComments Comments { get; } = new();

    /// <summary>The database statements are in: the header's, then each USE's.</summary>
    public string CurrentDatabase { get; private set; } = "";

    /// <summary>Databases named by the header or a USE statement.</summary>
    public SortedSet<string> Databases { get; } = new(StringComparer.Ordinal);

    /// <summary>INSERT and REPLACE statements read.</summary>
    public long InsertStatements { get; private set; }

    /// <summary>Tables and their rows, by database and name.</summary>
    public IReadOnlyDictionary<(string Database, string Table), long?> Tables => _tables;

    /// <summary>Whether the script ended with the completion trailer and outside any statement.</summary>
    public bool Completed { get; private set; }

    /// <summary>
    /// Scans <paramref name="data"/> and returns how many bytes it consumed: all when <paramref name="final"/>,
    /// else it may leave up to three bytes it needs to see with what follows (a comment's or escape's start).
    /// </summary>
    public int Scan(ReadOnlySpan<byte> data, bool final)
    {
        var i = 0;
        while (i < data.Length)
        {
            var step = _mode switch
            {
                Mode.Normal => Normal(data, i, final),
                Mode.SingleQuote => Quoted(data, i, final, SingleQuoteStops),
                Mode.DoubleQuote => Quoted(data, i, final, DoubleQuoteStops),
                Mode.Backtick => Backtick(data, i),
                Mode.BlockComment => BlockComment(data, i, final),
                Mode.LineComment => LineComment(data, i),
                _ => CustomDelimiterLine(data, i),
            };
            i = step;
            if (_needMore)
            {
                _needMore = false;
                break;
            }
        }

        _offset += i;
        return i;
    }

    /// <summary>Ends the script: a last comment line without its newline still counts.</summary>
    public void Finish()
    {
        if (_mode == Mode.LineComment)
        {
            EndComment();
        }

        if (Comments.Flavor is null)
        {
            throw new InvalidDataException(_offset == 0
                ? "the dump is empty"
                : "not a MariaDB or MySQL dump: there is no '-- MariaDB dump' or '-- MySQL dump' header");
        }

        Completed = _trailerLast && _mode == Mode.Normal && !_inStatement;
    }

    private int Normal(ReadOnlySpan<byte> data, int i, bool final)
    {
        var rest = data[i..];
        var j = rest.IndexOfAny(Specials);
        if (j != 0)
        {
            Text(j < 0 ? rest : rest[..j]);
            if (j < 0)
            {
                return data.Length;
            }

            i += j;
        }

        var b = data[i];
        switch (b)
        {
            case (byte)'\n':
                Newline();
                return i + 1;
            case (byte)'\'':
            case (byte)'"':
            case (byte)'`':
                Keep(data.Slice(i, 1));
                _mode = b == '\'' ? Mode.SingleQuote : b == '"' ? Mode.DoubleQuote : Mode.Backtick;
                return i + 1;
            case (byte)'(':
                Keep(data.Slice(i, 1));
                if (_depth++ == 0)
                {
                    TopLevelGroup();
                }

                return i + 1;
            case (byte)')':
                Keep(data.Slice(i, 1));
                _depth = Math.Max(0, _depth - 1);
                return i + 1;
            case (byte)';':
                Semicolon(data.Slice(i, 1));
                return i + 1;
            case (byte)'-':
                return Dash(data, i, final);
            default:
                return Slash(data, i, final);
        }
    }

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

    /// <summary>Bytes outside quotes, comments and special characters.</summary>
    private void Text(ReadOnlySpan<byte> run)
    {
        if (!_inStatement)
        {
            var start = run.IndexOfAnyExcept(Blanks);
            if (start < 0)
            {
                return;
            }

            run = run[start..];
        }

        Keep(run);
    }

    /// <summary>Adds statement bytes, starting a statement at the first.</summary>
    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (!_inStatement)
        {
            _inStatement = true;
            _statementAtLineStart = _atLineStart;
            _prefixLength = 0;
            _head = null;
            _depth = 0;
            _groups = 0;
            _trailerLast = false;
        }

        _atLineStart = false;
        var n = Math.Min(bytes.Length, PrefixCapacity - _prefixLength);
        if (n > 0)
        {
            bytes[..n].CopyTo(_prefix.AsSpan(_prefixLength));
            _prefixLength += n;
        }
    }

    private void KeepLine(ReadOnlySpan<byte> bytes)
    {
        var n = Math.Min(bytes.Length, LineCapacity - _lineLength);
        bytes[..n].CopyTo(_line.AsSpan(_lineLength));
        _lineLength += n;
    }

    private string LineText() => Encoding.UTF8.GetString(_line, 0, _lineLength).Trim();

    private void Newline()
    {
        if (_inStatement)
        {
            if (IsDelimiterCommand())
            {
                if (DelimiterIn(_prefix.AsSpan(0, _prefixLength)) is { } delimiter && delimiter != ";")
                {
                    _mode = Mode.CustomDelimiter;
                    _lineLength = 0;
                }

                _inStatement = false;
            }
            else
            {
                Keep("\n"u8);
            }
        }

        _atLineStart = true;
    }

    private void Semicolon(ReadOnlySpan<byte> semicolon)
    {
        if (!_inStatement)
        {
            return; // an empty statement
        }

        if (IsDelimiterCommand())
        {
            Keep(semicolon); // DELIMITER ;; ends at the newline
            return;
        }

        EndStatement();
    }

    private void TopLevelGroup()
    {
        _head ??= Classify();
        if (_head.Value.Kind == MySqlStatementKind.Insert)
        {
            _groups++;
        }
    }

    private MySqlStatementHead Classify()
    {
        var head = MySqlStatementHead.Parse(_prefix.AsSpan(0, _prefixLength));
        if (head is { Kind: MySqlStatementKind.CreateTable, Table: { } table })
        {
            _tables.TryAdd((head.Database ?? CurrentDatabase, table), null);
        }

        return head;
    }

    private void EndStatement()
    {
        var head = _head ??= Classify();
        _inStatement = false;
        if (Comments.Flavor is null)
        {
            throw new InvalidDataException(
                $"not a MariaDB or MySQL dump: a statement ends at byte {_offset} before any '-- MariaDB dump' or '-- MySQL dump' header");
        }

        switch (head.Kind)
        {
            case MySqlStatementKind.Insert when head.Table is { } table:
                var key = (head.Database ?? CurrentDatabase, table);
                _tables[key] = (_tables.GetValueOrDefault(key) ?? 0) + _groups - (head.HasColumnList ? 1 : 0);
                InsertStatements++;
                break;
            case MySqlStatementKind.Use when head.Database is { } database:
                CurrentDatabase = database;
                Databases.Add(database);
                break;
        }
    }

    /// <summary>Whether the statement is the client's DELIMITER command, which ends at the end of its line.</summary>
    private bool IsDelimiterCommand() =>
        _statementAtLineStart && _prefixLength > 10 && Ascii.EqualsIgnoreCase(_prefix.AsSpan(0, 9), "DELIMITER"u8) && _prefix[9] is (byte)' ' or (byte)'\t';

    /// <summary>The delimiter a <c>DELIMITER x</c> line sets, or null when the line is not one.</summary>
    private static string? DelimiterIn(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line).Trim();
        return text.Length > 10 && text.StartsWith("DELIMITER", StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(text[9])
            ? text[10..].Trim()
            : null;
    }
}
