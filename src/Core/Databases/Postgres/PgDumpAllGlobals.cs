using System.Buffers;
using System.Text;

namespace Strata.Core.Databases.Postgres;

/// <summary>
/// Reads a <c>pg_dumpall --globals-only</c> script (plain SQL for psql) line by line, in flat memory: it must
/// open with the <c>-- PostgreSQL database cluster dump</c> header, and it is complete when its last comment
/// is the completion trailer. Roles and tablespaces are counted from their CREATE statements.
/// </summary>
public static class PgDumpAllGlobals
{
    private const string Header = "-- PostgreSQL database cluster dump";
    private const string Trailer = "-- PostgreSQL database cluster dump complete";
    private const int LineCapacity = 1024;

    /// <summary>
    /// Reads <paramref name="content"/> to its end; <see cref="InvalidDataException"/> when it is empty or does
    /// not open with the header.
    /// </summary>
    public static async Task<PgGlobalsContents> ReadAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var state = new State();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                state.Add(buffer.AsSpan(0, n));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        state.EndLine();
        return state.Contents();
    }

    /// <summary>The lines read so far, each kept to its first <see cref="LineCapacity"/> bytes.</summary>
    private sealed class State
    {
        private readonly byte[] _line = new byte[LineCapacity];
        private readonly SortedSet<string> _roles = new(StringComparer.Ordinal);
        private int _length;
        private long _bytes;
        private bool _headerSeen;
        private bool _firstContentSeen;
        private bool _trailerLast;
        private int _tablespaces;
        private string? _restrictKey;
        private bool _unrestricted;

        public void Add(ReadOnlySpan<byte> data)
        {
            _bytes += data.Length;
            while (data.Length > 0)
            {
                var newline = data.IndexOf((byte)'\n');
                var piece = newline < 0 ? data : data[..newline];
                var n = Math.Min(piece.Length, LineCapacity - _length);
                piece[..n].CopyTo(_line.AsSpan(_length));
                _length += n;
                if (newline < 0)
                {
                    return;
                }

                EndLine();
                data = data[(newline + 1)..];
            }
        }

        public void EndLine()
        {
            var line = Encoding.UTF8.GetString(_line, 0, _length).TrimEnd('\r', ' ', '\t');
            _length = 0;
            if (line.Length == 0 || line == "--")
            {
                return;
            }

            if (!_firstContentSeen)
            {
                _firstContentSeen = true;
                _headerSeen = line == Header;
            }

            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                _trailerLast = line == Trailer;
                return;
            }

            _trailerLast = false;
            if (line.StartsWith(@"\restrict ", StringComparison.Ordinal))
            {
                _restrictKey ??= line[10..].Trim();
            }
            else if (line.StartsWith(@"\unrestrict ", StringComparison.Ordinal))
            {
                _unrestricted |= line[12..].Trim() == _restrictKey;
            }
            else if (line.StartsWith("CREATE ROLE ", StringComparison.Ordinal))
            {
                _roles.Add(line[12..].TrimEnd(';').Trim('"'));
            }
            else if (line.StartsWith("CREATE TABLESPACE ", StringComparison.Ordinal))
            {
                _tablespaces++;
            }
        }

        public PgGlobalsContents Contents()
        {
            if (!_headerSeen)
            {
                throw new InvalidDataException(_bytes == 0
                    ? "the dump is empty"
                    : $"not a pg_dumpall script: it does not open with '{Header}'");
            }

            return new PgGlobalsContents
            {
                Roles = [.. _roles],
                Tablespaces = _tablespaces,
                Completed = _trailerLast && (_restrictKey is null || _unrestricted),
            };
        }
    }
}
