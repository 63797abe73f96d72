using System.Text;

namespace Strata.Core.Databases.MySql;

/// <summary>The scanner's statements: their first bytes, DELIMITER commands, classification when the first top-level parenthesis or the end comes, and what each statement adds.</summary>
internal sealed partial class MySqlScriptScanner
{
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

    private void Semicolon(ReadOnlySpan<byte> semicolon, long end)
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

        EndStatement(end);
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

    private void EndStatement(long end)
    {
        var head = _head ??= Classify();
        _inStatement = false;
        if (Comments.Flavor is null)
        {
            throw new InvalidDataException(
                $"not a MariaDB or MySQL dump: a statement ends at byte {end} before any '-- MariaDB dump' or '-- MySQL dump' header");
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
