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

    /// <summary>The command that reads a dump of <paramref name="length"/> bytes from stdin into <paramref name="name"/>.</summary>
    public abstract DatabaseCommand Restore(string name, long length, bool clean);

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
        foreach (var chunk in tables.Chunk(100))
        {
            var sql = string.Join(" union all ", chunk.Select(t => $"select {Literal(t.QualifiedName)}, count(*) from {Table(t)}"));
            foreach (var line in (await QueryAsync(name, sql, cancellationToken)).Split('\n').Where(l => l.Length > 0))
            {
                var cut = line.LastIndexOf('\t');
                counts[line[..cut]] = long.Parse(line[(cut + 1)..].TrimEnd('\r'), System.Globalization.CultureInfo.InvariantCulture);
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
