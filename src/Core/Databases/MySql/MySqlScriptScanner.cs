using System.Buffers;

namespace Strata.Core.Databases.MySql;

/// <summary>
/// Splits a dump script into statements as the <c>mysql</c> client does — quotes (<c>'…'</c> and <c>"…"</c>
/// with backslash escapes, <c>`…`</c>), <c>-- </c> and <c>/* */</c> comments, executable comments
/// (<c>/*!40101 … */</c>) read as SQL, and <c>DELIMITER</c> — over pieces of any size, keeping only the first
/// bytes of each statement. INSERT rows are counted as the top-level parenthesised tuples after VALUES.
/// Bodies of triggers, routines and events (between <c>DELIMITER ;;</c> and <c>DELIMITER ;</c>) are skipped
/// line by line, so an INSERT inside a procedure is not taken for data. Comment lines at the start of a line
/// carry the header and the trailer (<see cref="MySqlScriptComments"/>). This file holds the state and the scan
/// loop; <c>.Modes</c> reads inside quotes, comments and DELIMITER blocks, <c>.Statements</c> tracks statements.
/// </summary>
internal sealed partial class MySqlScriptScanner
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

    /// <summary>
    /// Ends the script. A last line without its newline is not read: the client ends the trailer with one, so
    /// a script cut inside its trailer is not taken for complete.
    /// </summary>
    public void Finish()
    {
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
                Semicolon(data.Slice(i, 1), _offset + i + 1);
                return i + 1;
            case (byte)'-':
                return Dash(data, i, final);
            default:
                return Slash(data, i, final);
        }
    }
}
