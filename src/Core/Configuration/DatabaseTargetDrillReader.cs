using Strata.Core.Databases;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a database target's <c>drill:</c> — the queries its drills run in each scratch database, and the server they
/// restore into when it is not the target's own (<c>server:</c>, named as a target names its server, plus the
/// <c>cluster</c> it is on) — every problem located.
/// </summary>
internal static class DatabaseTargetDrillReader
{
    private static readonly string[] ServerFields = ["cluster", .. DatabaseTargetServerReader.Fields];

    public static (IReadOnlyList<DrillQuery> Queries, DatabaseDrillServer? Server) Read(
        ConfigurationReader reader, YamlMappingNode target, string targetPath, IReadOnlyList<string> databases, bool all, IReadOnlyList<ClusterDefinition> clusters)
    {
        if (reader.Child(target, "drill") is not { } node || reader.Mapping(node, $"{targetPath}.drill") is not { } drill)
        {
            return ([], null);
        }

        var path = $"{targetPath}.drill";
        reader.OnlyKeys(drill, path, "server", "queries");
        var queries = reader.List(drill, "queries", required: false, (r, n, p) => Query(r, n, p, databases, all), path);
        return (queries, Server(reader, drill, path, clusters));
    }

    private static DatabaseDrillServer? Server(ConfigurationReader reader, YamlMappingNode drill, string drillPath, IReadOnlyList<ClusterDefinition> clusters)
    {
        var path = $"{drillPath}.server";
        if (reader.Child(drill, "server") is not { } node || reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, ServerFields);
        var server = DatabaseTargetServerReader.Read(reader, map, path, "the drill server's");
        var cluster = reader.OptionalString(map, path, "cluster");
        if (cluster is not null && clusters.All(c => c.Name != cluster))
        {
            reader.Error(reader.Child(map, "cluster")!, $"{path}.cluster",
                $"'{cluster}' is not a cluster in {reader.Source} (clusters: {string.Join(", ", clusters.Select(c => c.Name))})");
        }

        if (cluster is not null && server.Executor == DatabaseExecutor.Direct && server.PasswordSecret is null)
        {
            reader.Error(reader.Child(map, "cluster")!, $"{path}.cluster",
                "a direct drill server reads nothing from a cluster: 'cluster' is where its pod (exec) or its passwordSecret is");
        }

        return new DatabaseDrillServer
        {
            Cluster = cluster,
            Executor = server.Executor,
            Namespace = server.Namespace ?? "direct",
            Pod = server.Pod,
            PodSelector = server.Selector,
            Container = server.Container,
            Host = server.Host,
            Port = server.Port,
            User = server.User,
            PasswordSecret = server.PasswordSecret,
            Password = server.Password,
        };
    }

    private static DrillQuery? Query(ConfigurationReader reader, YamlNode node, string path, IReadOnlyList<string> databases, bool all)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "database", "sql", "expect", "equalsBackup");
        var database = reader.OptionalString(map, path, "database");
        var sql = reader.OptionalString(map, path, "sql");
        var expectText = reader.OptionalString(map, path, "expect");
        var equalsBackup = reader.OptionalBool(map, path, "equalsBackup") ?? false;
        ExpectedValue? expect = null;
        if (expectText is not null && !ExpectedValue.TryParse(expectText, out expect, out var error))
        {
            reader.Error(reader.Child(map, "expect")!, $"{path}.expect", error!);
        }

        if (equalsBackup == (sql is not null))
        {
            reader.Error(map, path, "give 'sql' with 'expect', or 'equalsBackup: true'");
        }
        else if (sql is not null && expectText is null)
        {
            reader.Error(map, path, "'sql' needs 'expect' (e.g. '>= 1000'): a query that cannot fail proves nothing");
        }

        if (database is null && (all || databases.Count > 1))
        {
            reader.Error(map, path, "'database' is required: the target dumps more than one");
        }
        else if (database is not null && !all && !databases.Contains(database, StringComparer.Ordinal))
        {
            reader.Error(reader.Child(map, "database")!, $"{path}.database", $"'{database}' is not one of the target's databases ({string.Join(", ", databases)})");
        }

        return new DrillQuery { Database = database ?? databases.FirstOrDefault(), Sql = sql, Expect = expect, EqualsBackup = equalsBackup };
    }
}
