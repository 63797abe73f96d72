namespace Strata.Core.Databases.Postgres;

/// <summary>
/// What a <c>pg_dumpall --globals-only</c> script holds (<see cref="PgDumpAllGlobals.ReadAsync"/>): the roles
/// and tablespaces it creates, and whether it ends with pg_dumpall's completion trailer.
/// </summary>
public sealed record PgGlobalsContents
{
    /// <summary>Roles the script creates (<c>CREATE ROLE</c>), sorted.</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>Tablespaces the script creates (<c>CREATE TABLESPACE</c>).</summary>
    public required int Tablespaces { get; init; }

    /// <summary>
    /// Whether the script ends with <c>-- PostgreSQL database cluster dump complete</c> and, where it opens with
    /// psql's <c>\restrict</c> (pg_dumpall since August 2025), closes it with the matching <c>\unrestrict</c>.
    /// </summary>
    public required bool Completed { get; init; }
}
