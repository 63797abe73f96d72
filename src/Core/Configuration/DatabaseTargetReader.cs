using Strata.Core.Databases;
using Strata.Core.Kubernetes;
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
        "name", "engine", "executor", "namespace", "pod", "selector", "container", "host", "port", "user",
        "passwordSecret", "password", "databases", "allDatabases", "serializableDeferrable", "timeout", "drill", "archiving",
        "consistency", "volumes",
    ];

    public static IReadOnlyList<DatabaseTarget> ReadAll(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
    {
        var targets = reader.List(policy, "databases", required: false, Read, policyPath);
        foreach (var duplicate in targets.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(duplicate.Last().Line, $"{policyPath}.databases", $"two database targets are named '{duplicate.Key}'");
        }

        return targets;
    }

    private static DatabaseTarget? Read(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, Fields);
        var name = reader.Name(map, path);
        var engine = Engine(reader, map, path);
        var executor = Executor(reader, map, path);
        var ns = reader.OptionalString(map, path, "namespace");
        var pod = reader.OptionalString(map, path, "pod");
        var selector = Selector(reader, map, path);
        var host = reader.OptionalString(map, path, "host");
        var passwordSecret = PasswordSecret(reader, map, path);
        var password = reader.Secret(map, path, "password", "a database password is never written in strata.yaml");
        var databases = reader.List(map, "databases", required: false, (r, n, p) => r.Scalar(n, p) is { Length: > 0 } s ? s : null, path);
        var all = reader.OptionalBool(map, path, "allDatabases") ?? false;
        var serializable = reader.OptionalBool(map, path, "serializableDeferrable") ?? false;
        var archiving = reader.OptionalBool(map, path, "archiving") ?? false;
        var consistency = Consistency(reader, map, path);
        var volumes = reader.List(map, "volumes", required: false, ClaimName, path);

        void Refuse(string message) => reader.Error(map, path, message);
        if (executor == DatabaseExecutor.Exec)
        {
            if (ns is null)
            {
                Refuse("'namespace' is required: the namespace of the database's pod");
            }

            if ((pod is null) == (selector is null))
            {
                Refuse("give one of 'pod' (a pod's name) or 'selector' (labels of the database's pods)");
            }
        }
        else
        {
            if (host is null)
            {
                Refuse("'host' is required for executor 'direct': the server the tools on this host connect to");
            }

            if (pod is not null || selector is not null || reader.Child(map, "container") is not null)
            {
                Refuse("'pod', 'selector' and 'container' apply to executor 'exec'; a direct target names 'host' (and 'port')");
            }

            if (passwordSecret is not null && ns is null)
            {
                Refuse("'passwordSecret' is read from a namespace: give 'namespace' too");
            }
        }

        if (passwordSecret is not null && password is not null)
        {
            Refuse("give one of 'passwordSecret' (a Kubernetes Secret) or 'password' (env, file or Key Vault), not both");
        }

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

        var queries = Queries(reader, map, path, databases, all);
        return name is null ? null : new DatabaseTarget
        {
            Name = name,
            Engine = engine,
            Executor = executor,
            Namespace = ns ?? "direct",
            Pod = pod,
            PodSelector = selector,
            Container = reader.OptionalString(map, path, "container"),
            Host = host,
            Port = reader.OptionalInt(map, path, "port", 1, 65535),
            User = reader.OptionalString(map, path, "user"),
            PasswordSecret = passwordSecret,
            Password = password,
            Databases = databases,
            AllDatabases = all,
            SerializableDeferrable = serializable,
            Archiving = archiving,
            Consistency = consistency,
            Volumes = volumes,
            Timeout = reader.Duration(map, path, "timeout") ?? DatabaseTarget.DefaultTimeout,
            DrillQueries = queries,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static IReadOnlyList<DrillQuery> Queries(ConfigurationReader reader, YamlMappingNode target, string targetPath, IReadOnlyList<string> databases, bool all)
    {
        if (reader.Child(target, "drill") is not { } node || reader.Mapping(node, $"{targetPath}.drill") is not { } drill)
        {
            return [];
        }

        var path = $"{targetPath}.drill";
        reader.OnlyKeys(drill, path, "queries");
        return reader.List(drill, "queries", required: false, (r, n, p) => Query(r, n, p, databases, all), path);
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

    private static DatabaseExecutor Executor(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        var text = reader.OptionalString(map, path, "executor");
        switch (text)
        {
            case null or "exec":
                return DatabaseExecutor.Exec;
            case "direct":
                return DatabaseExecutor.Direct;
            default:
                reader.Error(reader.Child(map, "executor")!, $"{path}.executor", $"'{text}' is not exec (in the pod, through the Kubernetes API) or direct (on this host)");
                return DatabaseExecutor.Exec;
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

    private static LabelSelector? Selector(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "selector") is not { } node || reader.Scalar(node, $"{path}.selector") is not { } text)
        {
            return null;
        }

        if (LabelSelector.TryParse(text, out var selector, out var error) && !selector.IsEmpty)
        {
            return selector;
        }

        reader.Error(node, $"{path}.selector", error ?? "an empty selector would pick any pod in the namespace");
        return null;
    }

    private static SecretKeyReference? PasswordSecret(ConfigurationReader reader, YamlMappingNode map, string path)
    {
        if (reader.Child(map, "passwordSecret") is not { } node || reader.Mapping(node, $"{path}.passwordSecret") is not { } secret)
        {
            return null;
        }

        var secretPath = $"{path}.passwordSecret";
        reader.OnlyKeys(secret, secretPath, "name", "key");
        var name = reader.OptionalString(secret, secretPath, "name");
        var key = reader.OptionalString(secret, secretPath, "key");
        if (name is null || key is null)
        {
            reader.Error(secret, secretPath, "needs 'name' (the Secret in the target's namespace) and 'key' (under its data)");
            return null;
        }

        return new SecretKeyReference(name, key);
    }
}
