using Strata.Core.Databases;

namespace Strata.Core.Coverage;

/// <summary>
/// Which <c>databases:</c> targets dump which database, by the engine recognised from a pod's image
/// (<see cref="DatabaseImage.Engine"/>) or an operator's (<see cref="DatabaseOperator.Engine"/>). A target runs the
/// engine's own client tools, so a PostgreSQL target's <c>pg_dump</c> cannot dump MongoDB; MariaDB and MySQL are one family
/// (either engine's target dumps either server). MongoDB, Redis and Valkey have no row: no <c>databases:</c> target dumps
/// them — an <c>applications:</c> dump (the application's own command) or snapshots of their claims can.
/// </summary>
internal static class TargetEngines
{
    private static readonly IReadOnlyDictionary<string, DatabaseEngine[]> Table = new Dictionary<string, DatabaseEngine[]>(StringComparer.Ordinal)
    {
        ["PostgreSQL"] = [DatabaseEngine.PostgreSql],
        ["MySQL"] = [DatabaseEngine.MySql, DatabaseEngine.MariaDb],
        ["MariaDB"] = [DatabaseEngine.MariaDb, DatabaseEngine.MySql],
    };

    /// <summary>Whether a target of <paramref name="target"/>'s engine dumps a server running <paramref name="engine"/>.</summary>
    public static bool Dumps(DatabaseEngine target, string engine) => Table.GetValueOrDefault(engine)?.Contains(target) == true;

    /// <summary>Why a target of <paramref name="target"/>'s engine does not dump a server running <paramref name="engine"/>, in words.</summary>
    public static string WhyNot(DatabaseEngine target, string engine) =>
        $"it is an engine: {Words(target)} target and the server runs {engine}"
        + (Table.ContainsKey(engine) ? "" : $" (no databases: target dumps {engine}: dump it with an applications: entry, or snapshot its claims)");

    /// <summary>The engine as strata.yaml's <c>engine:</c> spells it.</summary>
    private static string Words(DatabaseEngine engine) => engine switch
    {
        DatabaseEngine.MariaDb => "mariadb",
        DatabaseEngine.MySql => "mysql",
        _ => "postgresql",
    };
}
