namespace Strata.Core.Databases;

/// <summary>A <see cref="DatabaseSession"/> on MariaDB or MySQL: scratch schemas marked by a one-row table (MySQL has no schema comments).</summary>
public sealed class MySqlSession(ConnectedDatabase database) : DatabaseSession(database)
{
    /// <summary>The table that marks a scratch schema.</summary>
    public const string MarkerTable = "_strata_drill";

    /// <inheritdoc />
    public override async Task<(bool Exists, bool IsScratch)> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        var exists = await QueryValueAsync(null, $"select count(*) from information_schema.schemata where schema_name = {Literal(name)}", cancellationToken) is not (null or "0");
        var marked = exists && await QueryValueAsync(null,
            $"select count(*) from information_schema.tables where table_schema = {Literal(name)} and table_name = {Literal(MarkerTable)}", cancellationToken) is not (null or "0");
        return (exists, marked);
    }

    /// <inheritdoc />
    public override async Task<bool> HasTablesAsync(string name, CancellationToken cancellationToken = default) =>
        await QueryValueAsync(null, $"select count(*) from information_schema.tables where table_schema = {Literal(name)}", cancellationToken) is not (null or "0");

    /// <inheritdoc />
    public override async Task CreateAsync(string name, string? scratchNote, CancellationToken cancellationToken = default)
    {
        await QueryAsync(null, $"create database {MySqlTools.Identifier(name)}", cancellationToken);
        if (scratchNote is not null)
        {
            var table = $"{MySqlTools.Identifier(name)}.{MySqlTools.Identifier(MarkerTable)}";
            await QueryAsync(null, $"create table {table} (note varchar(255)); insert into {table} values ({Literal($"{ScratchMarker}: {scratchNote}")})", cancellationToken);
        }
    }

    /// <inheritdoc />
    public override Task DropAsync(string name, CancellationToken cancellationToken = default) =>
        QueryAsync(null, $"drop database if exists {MySqlTools.Identifier(name)}", cancellationToken);

    /// <inheritdoc />
    public override DatabaseCommand Restore(string name, long length, bool clean, bool scratch) => MySqlTools.Restore(Database.Target, name, length, Database.Password);

    /// <inheritdoc />
    protected override DatabaseCommand Query(string? name, string sql) => MySqlTools.Query(Database.Target, name, sql, Database.Password);

    /// <inheritdoc />
    protected override string Literal(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <inheritdoc />
    protected override string Table(DumpTable table) => MySqlTools.Identifier(table.Name);
}
