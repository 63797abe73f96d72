using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Volumes;

namespace Strata.Core.Tests.Configuration;

/// <summary>A policy's <c>databases:</c> in strata.yaml: every field read, defaults, and combinations that cannot work refused with their place.</summary>
public sealed class DatabaseConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod
            context: prod-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            databases:
              - name: shop-db
                namespace: shop
                pod: postgres-0
                container: postgres
                passwordSecret: { name: pg-auth, key: password }
                databases: [shop, "odd name"]
                serializableDeferrable: true
                timeout: 30m
                consistency: application
                volumes: [data-postgres-0, wal-postgres-0]
              - name: auth-db
                engine: mariadb
                namespace: auth
                selector: app=mariadb,role=primary
                user: backup
                allDatabases: true
              - name: managed
                executor: direct
                host: pg.example.com
                port: 6432
                password: { env: MANAGED_PG_PASSWORD }
                allDatabases: true
                consistency: crash
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    [Fact]
    public void Parse_Databases_ReadsEveryField()
    {
        var targets = Parse(Valid).FindPolicy("nightly")!.Databases;

        Assert.Equal(3, targets.Count);
        var shop = targets[0];
        Assert.Equal(("shop-db", DatabaseEngine.PostgreSql, DatabaseExecutor.Exec), (shop.Name, shop.Engine, shop.Executor));
        Assert.Equal(("shop", "postgres-0", "postgres"), (shop.Namespace, shop.Pod, shop.Container));
        Assert.Equal(new SecretKeyReference("pg-auth", "password"), shop.PasswordSecret);
        Assert.Equal(["shop", "odd name"], shop.Databases);
        Assert.True(shop.SerializableDeferrable);
        Assert.Equal(TimeSpan.FromMinutes(30), shop.Timeout);
        Assert.Equal("postgres", shop.EffectiveUser);
        Assert.Equal(VolumeConsistency.Application, shop.Consistency);
        Assert.Equal(["data-postgres-0", "wal-postgres-0"], shop.Volumes);

        var auth = targets[1];
        Assert.Equal((DatabaseEngine.MariaDb, "app=mariadb,role=primary", "backup", true), (auth.Engine, auth.PodSelector!.ToString(), auth.EffectiveUser, auth.AllDatabases));
        Assert.Equal(DatabaseTarget.DefaultTimeout, auth.Timeout);
        Assert.Equal((null, 0), (auth.Consistency, auth.Volumes.Count));

        var managed = targets[2];
        Assert.Equal((DatabaseExecutor.Direct, "pg.example.com", 6432, "direct"), (managed.Executor, managed.Host, managed.Port, managed.Namespace));
        Assert.Equal("env:MANAGED_PG_PASSWORD", managed.Password!.ToString());
        Assert.Equal(VolumeConsistency.Crash, managed.Consistency);
    }

    [Fact]
    public void Parse_PolicyWithoutDatabases_HasNone()
    {
        var yaml = Valid[..Valid.IndexOf("    databases:", StringComparison.Ordinal)];

        Assert.Empty(Parse(yaml).FindPolicy("nightly")!.Databases);
    }

    [Fact]
    public void Parse_DirectTargetWithApplicationConsistency_ReadsItsClaims()
    {
        var yaml = Valid.Replace("consistency: crash", "consistency: application\n        namespace: shop\n        volumes: [pgdata, pg.wal-1]", StringComparison.Ordinal);

        var managed = Parse(yaml).FindPolicy("nightly")!.Databases[2];

        Assert.Equal((VolumeConsistency.Application, "shop"), (managed.Consistency, managed.Namespace));
        Assert.Equal(["pgdata", "pg.wal-1"], managed.Volumes);
    }

    [Theory]
    [InlineData("pod: postgres-0", "pod: ~", "policies[0].databases[0]: give one of 'pod' (a pod's name) or 'selector'")]
    [InlineData("        databases: [shop, \"odd name\"]\n", "        allDatabases: true\n        databases: [shop]\n", "policies[0].databases[0]: give 'databases' (a list of names) or 'allDatabases: true'")]
    [InlineData("engine: mariadb", "engine: oracle", "policies[0].databases[1].engine: 'oracle' is not postgresql, mariadb or mysql")]
    [InlineData("executor: direct", "executor: ssh", "policies[0].databases[2].executor: 'ssh' is not exec")]
    [InlineData("host: pg.example.com", "host: ~", "policies[0].databases[2]: 'host' is required for executor 'direct'")]
    [InlineData("password: { env: MANAGED_PG_PASSWORD }", "password: hunter2", "a database password is never written in strata.yaml")]
    [InlineData("key: password }", "key: password }\n        password: { env: X }", "give one of 'passwordSecret' (a Kubernetes Secret) or 'password'")]
    [InlineData("user: backup", "user: backup\n        serializableDeferrable: true", "policies[0].databases[1]: 'serializableDeferrable' is a PostgreSQL setting")]
    [InlineData("selector: app=mariadb,role=primary", "selector: 'app in (a'", "policies[0].databases[1].selector:")]
    [InlineData("name: auth-db", "name: shop-db", "two database targets are named 'shop-db'")]
    [InlineData("port: 6432", "port: 70000", "policies[0].databases[2].port: '70000' is not a whole number from 1 to 65535")]
    [InlineData("timeout: 30m", "timeuot: 30m", "policies[0].databases[0].timeuot: unknown field 'timeuot'")]
    [InlineData("consistency: application", "consistency: app", "strata.yaml:17:22: policies[0].databases[0].consistency: 'app' is not application")]
    [InlineData("user: backup", "user: backup\n        consistency: application", "strata.yaml:24:22: policies[0].databases[1].consistency: database target 'auth-db' is mariadb: 'consistency' applies to PostgreSQL targets")]
    [InlineData("[data-postgres-0, wal-postgres-0]", "[data-postgres-0, Wal_0]", "strata.yaml:18:36: policies[0].databases[0].volumes[1]: 'Wal_0' is not a claim name")]
    [InlineData("[data-postgres-0, wal-postgres-0]", "[data-postgres-0, -wal]", "policies[0].databases[0].volumes[1]: '-wal' is not a claim name")]
    [InlineData("consistency: crash", "consistency: application", "strata.yaml:25:9: policies[0].databases[2]: database target 'managed' has executor 'direct' and 'consistency: application': 'volumes' is required")]
    [InlineData("consistency: crash", "consistency: application\n        volumes: []", "database target 'managed' has executor 'direct' and 'consistency: application': 'volumes' is required")]
    [InlineData("consistency: crash", "consistency: application\n        volumes: [pgdata]", "policies[0].databases[2]: 'volumes' are claims in the target's namespace: give 'namespace' too")]
    public void Parse_Invalid_NamesTheFieldAndWhy(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    private const string WithDrillServer = """
        clusters:
          - name: prod
            context: prod-admin
          - name: dr
            context: dr-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            databases:
              - name: shop-db
                namespace: shop
                pod: postgres-0
                databases: [shop]
                drill:
                  server:
                    cluster: dr
                    namespace: drills
                    selector: app=postgres-drill
                    container: postgres
                    user: drill
                    passwordSecret: { name: drill-auth, key: password }
                  queries:
                    - { equalsBackup: true }
              - name: managed
                executor: direct
                host: pg.example.com
                password: { env: MANAGED_PG_PASSWORD }
                databases: [shop]
                drill:
                  server: { executor: direct, host: drill.example.com, port: 6432, password: { env: DRILL_PG_PASSWORD } }
        """;

    [Fact]
    public void Parse_DrillServer_ReadsIt_AndTheTargetKeepsItsOwnServer()
    {
        var targets = Parse(WithDrillServer).FindPolicy("nightly")!.Databases;

        var shop = targets[0];
        var server = shop.DrillServer!;
        Assert.Equal(("dr", DatabaseExecutor.Exec, "drills", "app=postgres-drill", "postgres", "drill"),
            (server.Cluster, server.Executor, server.Namespace, server.PodSelector!.ToString(), server.Container, server.User));
        Assert.Equal(new SecretKeyReference("drill-auth", "password"), server.PasswordSecret);
        Assert.Equal(("shop", "postgres-0", null), (shop.Namespace, shop.Pod, shop.PasswordSecret));
        Assert.Single(shop.DrillQueries);

        var serving = server.Serving(shop);
        Assert.Equal(("shop-db", "drills", "drill", "shop/shop-db's drill server"), (serving.Name, serving.Namespace, serving.EffectiveUser, serving.Qualified));
        Assert.Null(serving.DrillServer);

        var managed = targets[1].DrillServer!;
        Assert.Equal((null, DatabaseExecutor.Direct, "drill.example.com", 6432, "env:DRILL_PG_PASSWORD"),
            (managed.Cluster, managed.Executor, managed.Host, managed.Port, managed.Password!.ToString()));
        Assert.Equal(("prod", "dr"), (managed.ClusterFor("prod", null), managed.ClusterFor("prod", "dr")));
        Assert.Equal("dr", server.ClusterFor("prod", "elsewhere"));
        Assert.Null(targets[0].DrillServer!.Host);
    }

    [Theory]
    [InlineData("cluster: dr", "cluster: staging", "strata.yaml:17:22: policies[0].databases[0].drill.server.cluster: 'staging' is not a cluster in strata.yaml (clusters: prod, dr)")]
    [InlineData("namespace: drills", "namespce: drills", "strata.yaml:18:13: policies[0].databases[0].drill.server.namespce: unknown field 'namespce'")]
    [InlineData("            namespace: drills\n", "", "strata.yaml:17:13: policies[0].databases[0].drill.server: 'namespace' is required: the namespace of the drill server's pod")]
    [InlineData("selector: app=postgres-drill", "host: pg-drill", "policies[0].databases[0].drill.server: give one of 'pod' (a pod's name) or 'selector' (labels of the drill server's pods)")]
    [InlineData("key: password }\n          queries", "key: password }\n            password: { env: X }\n          queries", "policies[0].databases[0].drill.server: give one of 'passwordSecret' (a Kubernetes Secret) or 'password'")]
    [InlineData("{ executor: direct, host: drill.example.com,", "{ executor: direct,", "strata.yaml:31:19: policies[0].databases[1].drill.server: 'host' is required for executor 'direct'")]
    [InlineData("{ executor: direct, host: drill.example.com,", "{ executor: direct, cluster: dr, host: drill.example.com,", "policies[0].databases[1].drill.server.cluster: a direct drill server reads nothing from a cluster")]
    [InlineData("password: { env: DRILL_PG_PASSWORD }", "password: hunter2", "policies[0].databases[1].drill.server.password:")]
    [InlineData("drill:\n          server:", "drill:\n          servers:", "policies[0].databases[0].drill.servers: unknown field 'servers' (expected one of: server, queries)")]
    public void Parse_InvalidDrillServer_NamesTheFieldAndWhy(string find, string replace, string expected)
    {
        var yaml = WithDrillServer.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(WithDrillServer, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
