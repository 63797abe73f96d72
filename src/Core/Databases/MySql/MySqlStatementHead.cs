using System.Text;

namespace Strata.Core.Databases.MySql;

/// <summary>
/// What a statement of a dump script is, told from its first bytes: <c>INSERT [IGNORE] INTO t VALUES</c>
/// or <c>REPLACE INTO t (cols) VALUES</c> (rows follow), <c>CREATE TABLE [IF NOT EXISTS] t</c>,
/// <c>USE db</c>; anything else (SET, LOCK TABLES, executable comments, views) is <see cref="MySqlStatementKind.Other"/>.
/// Table names may be quoted with backticks and qualified with their database.
/// </summary>
/// <param name="Kind">The statement's kind.</param>
/// <param name="Database">The database the table name is qualified with, or the one <c>USE</c> names.</param>
/// <param name="Table">The table inserted into or created.</param>
/// <param name="HasColumnList">Whether an INSERT names its columns, so its first parenthesis is not a row.</param>
internal readonly record struct MySqlStatementHead(MySqlStatementKind Kind, string? Database = null, string? Table = null, bool HasColumnList = false)
{
    /// <summary>Reads the head of <paramref name="statement"/> (its first bytes, up to and including its first top-level parenthesis).</summary>
    public static MySqlStatementHead Parse(ReadOnlySpan<byte> statement)
    {
        var words = new Reader(statement);
        var first = words.Word();
        if (first.Equals("INSERT", StringComparison.OrdinalIgnoreCase) || first.Equals("REPLACE", StringComparison.OrdinalIgnoreCase))
        {
            var word = words.Word();
            while (word.ToUpperInvariant() is "LOW_PRIORITY" or "DELAYED" or "HIGH_PRIORITY" or "IGNORE")
            {
                word = words.Word();
            }

            if (word.Equals("INTO", StringComparison.OrdinalIgnoreCase) && words.QualifiedName() is (var db, var table))
            {
                if (words.Next == '(')
                {
                    return new MySqlStatementHead(MySqlStatementKind.Insert, db, table, HasColumnList: true);
                }

                if (words.Word().ToUpperInvariant() is "VALUES" or "VALUE")
                {
                    return new MySqlStatementHead(MySqlStatementKind.Insert, db, table);
                }
            }
        }
        else if (first.Equals("CREATE", StringComparison.OrdinalIgnoreCase))
        {
            var word = words.Word();
            if (word.Equals("TEMPORARY", StringComparison.OrdinalIgnoreCase))
            {
                return default;
            }

            if (word.Equals("TABLE", StringComparison.OrdinalIgnoreCase))
            {
                var save = words;
                if (!(words.Word().Equals("IF", StringComparison.OrdinalIgnoreCase) && words.Word().Equals("NOT", StringComparison.OrdinalIgnoreCase)
                      && words.Word().Equals("EXISTS", StringComparison.OrdinalIgnoreCase)))
                {
                    words = save;
                }

                if (words.QualifiedName() is (var db, var table))
                {
                    return new MySqlStatementHead(MySqlStatementKind.CreateTable, db, table);
                }
            }
        }
        else if (first.Equals("USE", StringComparison.OrdinalIgnoreCase) && words.QualifiedName() is (null, var database))
        {
            return new MySqlStatementHead(MySqlStatementKind.Use, database);
        }

        return default;
    }

    /// <summary>Words and names from the head of a statement.</summary>
    private ref struct Reader(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _text = text;
        private int _at;

        /// <summary>The next byte after whitespace, or 0 at the end.</summary>
        public byte Next
        {
            get
            {
                SkipSpace();
                return _at < _text.Length ? _text[_at] : (byte)0;
            }
        }

        /// <summary>The next bare word (letters, digits, '_', '$'), or empty.</summary>
        public string Word()
        {
            SkipSpace();
            var start = _at;
            while (_at < _text.Length && IsWordByte(_text[_at]))
            {
                _at++;
            }

            return Encoding.UTF8.GetString(_text[start.._at]);
        }

        /// <summary>A table name, <c>`t`</c>, <c>t</c> or <c>`db`.`t`</c>; null when there is none.</summary>
        public (string? Database, string Name)? QualifiedName()
        {
            var first = Identifier();
            if (first is null)
            {
                return null;
            }

            if (_at < _text.Length && _text[_at] == '.')
            {
                _at++;
                return Identifier() is { } second ? (first, second) : null;
            }

            return (null, first);
        }

        private string? Identifier()
        {
            SkipSpace();
            if (_at < _text.Length && _text[_at] == '`')
            {
                var name = new List<byte>();
                for (_at++; _at < _text.Length; _at++)
                {
                    if (_text[_at] == '`')
                    {
                        if (_at + 1 < _text.Length && _text[_at + 1] == '`')
                        {
                            name.Add((byte)'`');
                            _at++;
                            continue;
                        }

                        _at++;
                        return Encoding.UTF8.GetString([.. name]);
                    }

                    name.Add(_text[_at]);
                }

                return null; // the name runs past the bytes kept
            }

            var word = Word();
            return word.Length == 0 ? null : word;
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && _text[_at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                _at++;
            }
        }

        private static bool IsWordByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'$' || b >= 0x80;
    }
}
