namespace Strata.Core.Databases;

/// <summary>A <see cref="DatabaseSession"/> on PostgreSQL: scratch databases marked by their comment.</summary>
public sealed class PostgresSession(ConnectedDatabase database) : DatabaseSession(database)
{
    /// <inheritdoc />
    public override async Task<(bool Exists, bool IsScratch)> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        var value = await QueryValueAsync(PostgresTools.MaintenanceDatabase,
            $"select 'found:' || coalesce(shobj_description(oid, 'pg_database'), '') from pg_database where datname = {Literal(name)}", cancellationToken);
        return value is null ? (false, false) : (true, value["found:".Length..].StartsWith(ScratchMarker, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public override async Task<bool> HasTablesAsync(string name, CancellationToken cancellationToken = default) =>
        await QueryValueAsync(name, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            + "where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'", cancellationToken) is not (null or "0");

    /// <inheritdoc />
    public override async Task CreateAsync(string name, string? scratchNote, CancellationToken cancellationToken = default)
    {
        // template0: nothing added to template1 on this server can collide with what the dump creates.
        await QueryAsync(PostgresTools.MaintenanceDatabase, $"create database {PostgresTools.Identifier(name)} template template0", cancellationToken);
        if (scratchNote is not null)
        {
            await QueryAsync(PostgresTools.MaintenanceDatabase, $"comment on database {PostgresTools.Identifier(name)} is {Literal($"{ScratchMarker}: {scratchNote}")}", cancellationToken);
        }
    }

    /// <inheritdoc />
    public override Task DropAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(PostgresTools.MaintenanceDatabase, $"drop database if exists {PostgresTools.Identifier(name)} with (force)", cancellationToken);

    /// <inheritdoc />
    public override DatabaseCommand Restore(string name, long length, bool clean, bool scratch) =>
        PostgresTools.Restore(Database.Target, name, length, Database.Password, clean, scratch);

    /// <inheritdoc />
    protected override DatabaseCommand Query(string? name, string sql) =>
        PostgresTools.Query(Database.Target, name ?? PostgresTools.MaintenanceDatabase, sql, Database.Password);

    /// <inheritdoc />
    protected override string Literal(string value) => PostgresTools.Literal(value);

    /// <inheritdoc />
    protected override string Table(DumpTable table) =>
        $"{PostgresTools.Identifier(table.Schema)}.{PostgresTools.Identifier(table.Name)}";
}
