using System.Buffers;

namespace Strata.Core.Databases.MySql;

/// <summary>
/// Reads a <c>mariadb-dump</c> / <c>mysqldump</c> SQL script forward only, in flat memory whatever its
/// size: the header comments, every CREATE TABLE, the exact rows of every INSERT (extended inserts'
/// tuples counted outside quotes and escapes), and whether the completion trailer ends it. Dumps are
/// expected with comments on (the default): without the header line the script is not taken for a dump.
/// </summary>
public static class MySqlDumpScript
{
    private const int BufferSize = 256 * 1024;

    /// <summary>
    /// Reads <paramref name="content"/> to its end. A script cut short reads as <see cref="MySqlDumpContents.Completed"/>
    /// false; a script without the dump header (or an empty one) is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static async Task<MySqlDumpContents> ReadAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var scanner = new MySqlScriptScanner();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var filled = 0;
            while (true)
            {
                var n = await content.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken);
                filled += n;
                var consumed = scanner.Scan(buffer.AsSpan(0, filled), final: n == 0);
                if (n == 0)
                {
                    break;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        scanner.Finish();
        var comments = scanner.Comments;
        return new MySqlDumpContents
        {
            Flavor = comments.Flavor!.Value,
            ToolVersion = comments.ToolVersion,
            ServerVersion = comments.ServerVersion,
            Host = comments.Host,
            Database = comments.Database,
            Databases = [.. scanner.Databases],
            Tables = [.. scanner.Tables.OrderBy(t => t.Key.Database, StringComparer.Ordinal).ThenBy(t => t.Key.Table, StringComparer.Ordinal)
                .Select(t => new DumpTable(t.Key.Database, t.Key.Table, t.Value))],
            InsertStatements = scanner.InsertStatements,
            Completed = scanner.Completed,
            CompletedOn = comments.CompletedOn,
        };
    }
}
