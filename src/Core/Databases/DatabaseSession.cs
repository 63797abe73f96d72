namespace Strata.Core.Databases;

/// <summary>
/// What drills and restores do on a server, per engine: find, create, mark and drop databases, run queries, count
/// rows, and the restore command — each one client-tool call through the target's executor.
/// </summary>
public abstract class DatabaseSession(ConnectedDatabase database)
{
    /// <summary>The comment (PostgreSQL) or marker-table row (MariaDB, MySQL) that marks a database as a drill's scratch database.</summary>
    public const string ScratchMarker = "strata drill scratch database";

    /// <summary>The server.</summary>
    public ConnectedDatabase Database => database;

    /// <summary>The session for <paramref name="database"/>'s engine.</summary>
    public static DatabaseSession For(ConnectedDatabase database) => database.Target.Engine == DatabaseEngine.PostgreSql
        ? new PostgresSession(database)
        : new MySqlSession(database);

    /// <summary>Whether <paramref name="name"/> exists, and whether it is a Strata scratch database.</summary>
    public abstract Task<(bool Exists, bool IsScratch)> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="name"/> holds any table (or other user object).</summary>
    public abstract Task<bool> HasTablesAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates <paramref name="name"/>; with <paramref name="scratchNote"/>, marks it as a drill's scratch database.</summary>
    public abstract Task CreateAsync(string name, string? scratchNote, CancellationToken cancellationToken = default);

    /// <summary>Drops <paramref name="name"/>, sessions on it closed.</summary>
    public abstract Task DropAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The command that reads a dump of <paramref name="length"/> bytes from stdin into <paramref name="name"/> (<paramref name="scratch"/>: for a drill).</summary>
    public abstract DatabaseCommand Restore(string name, long length, bool clean, bool scratch);

    /// <summary>The first value of <paramref name="sql"/>'s first row in <paramref name="name"/> (null: the maintenance database); null when it returns no row.</summary>
    public async Task<string?> QueryValueAsync(string? name, string sql, CancellationToken cancellationToken = default)
    {
        var output = await QueryAsync(name, sql, cancellationToken);
        var line = output.Split('\n').FirstOrDefault(l => l.Length > 0);
        return line?.Split('\t')[0].TrimEnd('\r');
    }

    /// <summary>Rows per table (<c>schema.table</c>) in <paramref name="name"/>, for <paramref name="tables"/>.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(string name, IReadOnlyList<DumpTable> tables, CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var first = 0; first < tables.Count; first += 100)
        {
            // Each row is labelled by its table's index, not its name: a name may hold a tab or a line break.
            var chunk = tables.Skip(first).Take(100).ToList();
            var sql = string.Join(" union all ", chunk.Select((t, i) => $"select {first + i}, count(*) from {Table(t)}"));
            foreach (var line in (await QueryAsync(name, sql, cancellationToken)).Split('\n').Where(l => l.Length > 0))
            {
                var fields = line.TrimEnd('\r').Split('\t');
                if (fields is not [var index, var count] || !int.TryParse(index, System.Globalization.CultureInfo.InvariantCulture, out var at) || at < 0 || at >= tables.Count
                    || !long.TryParse(count, System.Globalization.CultureInfo.InvariantCulture, out var rows))
                {
                    throw new DatabaseTargetException($"{database}: counting rows answered '{line}', not an index and a count");
                }

                counts[tables[at].QualifiedName] = rows;
            }
        }

        return counts;
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="name"/> (null: the server's maintenance database) and returns its output; fails with the tool's words.</summary>
    public async Task<string> QueryAsync(string? name, string sql, CancellationToken cancellationToken = default)
    {
        var (exit, output) = await ToolOutput.RunAsync(database.Executor, Query(name, sql), cancellationToken);
        return exit.Succeeded ? output : throw new DatabaseTargetException($"{database}: {exit.Describe()}");
    }

    /// <summary>The query command.</summary>
    protected abstract DatabaseCommand Query(string? name, string sql);

    /// <summary>A string literal.</summary>
    protected abstract string Literal(string value);

    /// <summary>A table reference.</summary>
    protected abstract string Table(DumpTable table);
}
