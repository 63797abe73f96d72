using Strata.Core.Databases;
using Strata.Core.Volumes;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads a policy's <c>databases:</c>: each target's engine, where its tools run (a pod through exec, or the runner's
/// host), how it signs in and what it dumps; every problem located, and combinations that cannot work refused here
/// rather than at 2 a.m.
/// </summary>
internal static class DatabaseTargetReader
{
    private static readonly string[] Fields =
    [
        "name", "engine", .. DatabaseTargetServerReader.Fields, "databases", "allDatabases", "serializableDeferrable", "timeout", "drill", "archiving",
        "consistency", "volumes",
    ];

    public static IReadOnlyList<DatabaseTarget> ReadAll(ConfigurationReader reader, YamlMappingNode policy, string policyPath, IReadOnlyList<ClusterDefinition> clusters)
    {
        var targets = reader.List(policy, "databases", required: false, (r, n, p) => Read(r, n, p, clusters), policyPath);
        foreach (var duplicate in targets.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(duplicate.Last().Line, $"{policyPath}.databases", $"two database targets are named '{duplicate.Key}'");
        }

        return targets;
    }

    private static DatabaseTarget? Read(ConfigurationReader reader, YamlNode node, string path, IReadOnlyList<ClusterDefinition> clusters)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, Fields);
        var name = reader.Name(map, path);
        var engine = Engine(reader, map, path);
        var server = DatabaseTargetServerReader.Read(reader, map, path, "the database's");
        var (executor, ns) = (server.Executor, server.Namespace);
        var databases = reader.List(map, "databases", required: false, (r, n, p) => r.Scalar(n, p) is { Length: > 0 } s ? s : null, path);
        var all = reader.OptionalBool(map, path, "allDatabases") ?? false;
        var serializable = reader.OptionalBool(map, path, "serializableDeferrable") ?? false;
        var archiving = reader.OptionalBool(map, path, "archiving") ?? false;
        var consistency = Consistency(reader, map, path);
        var volumes = reader.List(map, "volumes", required: false, ClaimName, path);

        void Refuse(string message) => reader.Error(map, path, message);
        if (databases.Count > 0 == all)
        {
            Refuse("give 'databases' (a list of names) or 'allDatabases: true'");
        }

        if (serializable && engine != DatabaseEngine.PostgreSql)
        {
            Refuse("'serializableDeferrable' is a PostgreSQL setting");
        }

        if (archiving && engine != DatabaseEngine.PostgreSql)
        {
            Refuse("'archiving' watches PostgreSQL's WAL archiver (pg_stat_archiver); MariaDB and MySQL have none");
        }

        if (consistency is not null && engine != DatabaseEngine.PostgreSql)
        {
            reader.Error(reader.Child(map, "consistency")!, $"{path}.consistency",
                $"database target '{name}' is {(engine == DatabaseEngine.MariaDb ? "mariadb" : "mysql")}: 'consistency' applies to PostgreSQL targets (pg_backup_start and pg_backup_stop around the volume snapshots)");
        }

        if (executor == DatabaseExecutor.Direct && consistency == VolumeConsistency.Application && reader.Child(map, "volumes") is not YamlSequenceNode { Children.Count: > 0 })
        {
            Refuse($"database target '{name}' has executor 'direct' and 'consistency: application': 'volumes' is required, the claims that hold its data (and WAL) — there is no pod to find them from");
        }

        if (executor == DatabaseExecutor.Direct && volumes.Count > 0 && ns is null)
        {
            Refuse("'volumes' are claims in the target's namespace: give 'namespace' too");
        }

        var (queries, drillServer) = DatabaseTargetDrillReader.Read(reader, map, path, databases, all, clusters);
        return name is null ? null : new DatabaseTarget
        {
            Name = name,
            Engine = engine,
            Executor = executor,
            Namespace = ns ?? "direct",
            Pod = server.Pod,
            PodSelector = server.Selector,
            Container = server.Container,
            Host = server.Host,
            Port = server.Port,
            User = server.User,
            PasswordSecret = server.PasswordSecret,
            Password = server.Password,
            Databases = databases,
            AllDatabases = all,
            SerializableDeferrable = serializable,
            Archiving = archiving,
            Consistency = consistency,
            Volumes = volumes,
            Timeout = reader.Duration(map, path, "timeout") ?? DatabaseTarget.DefaultTimeout,
            DrillQueries = queries,
            DrillServer = drillServer,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static DatabaseEngine Engine(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        var text = reader.OptionalString(map, path, "engine");
        switch (text)
        {
            case null or "postgresql" or "postgres":
                return DatabaseEngine.PostgreSql;
            case "mariadb":
                return DatabaseEngine.MariaDb;
            case "mysql":
                return DatabaseEngine.MySql;
            default:
                reader.Error(reader.Child(map, "engine")!, $"{path}.engine", $"'{text}' is not postgresql, mariadb or mysql");
                return DatabaseEngine.PostgreSql;
        }
    }

    private static VolumeConsistency? Consistency(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        var text = reader.OptionalString(map, path, "consistency");
        switch (text)
        {
            case null:
                return null;
            case "application":
                return VolumeConsistency.Application;
            case "crash":
                return VolumeConsistency.Crash;
            default:
                reader.Error(reader.Child(map, "consistency")!, $"{path}.consistency",
                    $"'{text}' is not application (inside pg_backup_start and pg_backup_stop) or crash (the volumes as they are)");
                return null;
        }
    }

    /// <summary>A PersistentVolumeClaim's name: a DNS-1123 subdomain (at most 253 characters; dot-separated lowercase labels).</summary>
    private static string? ClaimName(ConfigurationReader reader, YamlNode node, string path)
    {
        var name = reader.Scalar(node, path);
        if (name is null)
        {
            return null;
        }

        var valid = name.Length is > 0 and <= 253 && name.Split('.').All(part => part.Length > 0 && part[0] != '-' && part[^1] != '-'
            && part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
        if (!valid)
        {
            reader.Error(node, path, $"'{name}' is not a claim name: at most 253 lowercase letters, digits, '-' or '.', each part starting and ending with a letter or digit");
            return null;
        }

        return name;
    }
}
