using Strata.Adapters.Hosting;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Configuration;
using Strata.Core.Coverage;
using Strata.Sandbox;
using Strata.TestKit.Volumes;
using static Strata.Core.Tests.Coverage.CoveragePods;

namespace Strata.Core.Tests.Coverage;

/// <summary>
/// What a databases target really dumps, against a sandbox: a selector dumps one pod (the first Running and Ready by
/// name), a target dumps only its own engine, an operator's database is dumped only through a pod carrying its instance
/// label, and a dump keeps only the claims of the database's own container.
/// </summary>
public sealed class CoverageJudgeTests : IClassFixture<CoverageJudgeTests.Cluster>
{
    private const string Policies = """
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "0 2 * * *"
            scope: { includeNamespaces: [eng, ops] }
            volumes: skip
            databases:
              - { name: pg, namespace: eng, selector: app=pg, databases: [app] }
              - { name: docs, namespace: eng, pod: docs-0, databases: [docs] }
              - { name: orders, namespace: eng, engine: mysql, pod: orders-0, databases: [orders] }
              - { name: cart, namespace: eng, pod: cart-0, databases: [cart] }
              - { name: analytics, namespace: ops, pod: pg-analytics-0, databases: [app] }
              - { name: acid, namespace: ops, selector: "cluster-name=acid,spilo-role=master", databases: [app] }
              - { name: hippo, namespace: ops, selector: "postgres-operator.crunchydata.com/cluster=hippo,postgres-operator.crunchydata.com/role=master", databases: [app] }
              - { name: rs, namespace: ops, pod: mongo-rs-rs0-0, databases: [app] }
              - { name: galera, namespace: ops, engine: mysql, pod: galera-pxc-0, databases: [app] }
              - { name: percona-pg, namespace: ops, selector: "postgres-operator.crunchydata.com/cluster=percona-pg,postgres-operator.crunchydata.com/role=master", databases: [app] }
              - { name: ps, namespace: ops, engine: mysql, selector: "app.kubernetes.io/instance=ps1,mysql.percona.com/primary=true", databases: [app] }
              - { name: ps-wrong, namespace: ops, pod: ps2-mysql-0, databases: [app] }
            applications:
              - { name: cache, namespace: eng, pod: cache-0, command: [redis-cli, --rdb, /dev/stdout] }
        """;

    private readonly Cluster _cluster;

    public CoverageJudgeTests(Cluster cluster) => _cluster = cluster;

    [Fact]
    public async Task SurveyAsync_SelectorMatchingThreePods_OnlyTheFirstRunningAndReadyByNameProtected()
    {
        var report = await SurveyAsync();

        var chosen = Find(report, StatefulKind.DatabasePod, "eng", "pg-a-0");
        var notReady = Find(report, StatefulKind.DatabasePod, "eng", "pg-0");
        var other = Find(report, StatefulKind.DatabasePod, "eng", "pg-b-0");
        Assert.Equal(CoverageState.Protected, chosen.State);
        Assert.Equal([new CoverageProtection("nightly", "databases")], Find(report, StatefulKind.PersistentVolumeClaim, "eng", "pgdata-a").ProtectedBy);
        Assert.Equal((CoverageState.Unprotected, CoverageState.Unprotected), (notReady.State, other.State));
        Assert.Contains("policy nightly's databases target pg selects 3 pods (app=pg); a backup dumps only pg-a-0", other.Reason);
        Assert.Equal(CoverageState.Unprotected, Find(report, StatefulKind.PersistentVolumeClaim, "eng", "pgdata-b").State);
    }

    [Fact]
    public async Task SurveyAsync_SelectorWithNoReadyPod_UnprotectedSayingABackupFindsNone()
    {
        var report = await SurveyAsync(Policies.Replace("selector: app=pg,", "selector: \"app=pg,tier=spare\",", StringComparison.Ordinal));

        var spare = Find(report, StatefulKind.DatabasePod, "eng", "pg-0");
        Assert.Equal(CoverageState.Unprotected, spare.State);
        Assert.Contains("selects 1 pod(s) (app=pg,tier=spare), none Running and Ready: a backup finds no pod to dump", spare.Reason);
    }

    [Fact]
    public async Task SurveyAsync_PostgresTargetOnAMongoPod_UnprotectedNamingTheEngines()
    {
        var docs = Find(await SurveyAsync(), StatefulKind.DatabasePod, "eng", "docs-0");

        Assert.Equal(CoverageState.Unprotected, docs.State);
        Assert.Contains("policy nightly's databases target docs points at it, but it is an engine: postgresql target and the server runs MongoDB", docs.Reason);
        Assert.Contains("dump it with an applications: entry", docs.Reason);
    }

    [Fact]
    public async Task SurveyAsync_MySqlTargetOnAMariaDbPod_ProtectedAsOneFamily()
    {
        var orders = Find(await SurveyAsync(), StatefulKind.DatabasePod, "eng", "orders-0");

        Assert.Equal(CoverageState.Protected, orders.State);
        Assert.Equal([new CoverageProtection("nightly", "databases")], orders.ProtectedBy);
    }

    [Fact]
    public async Task SurveyAsync_ApplicationDumpOnARedisPod_ProtectedWhateverTheEngine()
    {
        var cache = Find(await SurveyAsync(), StatefulKind.DatabasePod, "eng", "cache-0");

        Assert.Equal(CoverageState.Protected, cache.State);
        Assert.Contains("dumped by policy nightly's application dump cache", cache.Reason);
    }

    [Fact]
    public async Task SurveyAsync_DumpedPodWithASidecarClaim_OnlyTheDatabaseContainersClaimProtected()
    {
        var report = await SurveyAsync();

        Assert.Equal(CoverageState.Protected, Find(report, StatefulKind.DatabasePod, "eng", "cart-0").State);
        Assert.Equal([new CoverageProtection("nightly", "databases")], Find(report, StatefulKind.PersistentVolumeClaim, "eng", "cart-pgdata").ProtectedBy);
        Assert.Equal(CoverageState.Unprotected, Find(report, StatefulKind.PersistentVolumeClaim, "eng", "cart-uploads").State);
    }

    [Fact]
    public async Task SurveyAsync_TargetOnAnotherClustersPodSharingTheNamePrefix_OperatorDatabaseUnprotected()
    {
        var report = await SurveyAsync();

        Assert.Equal(CoverageState.Unprotected, Find(report, StatefulKind.DatabaseOperator, "ops", "pg").State);
        var analytics = Find(report, StatefulKind.DatabaseOperator, "ops", "pg-analytics");
        Assert.Equal(CoverageState.Protected, analytics.State);
        Assert.Contains("dumped by policy nightly's databases target analytics (pod pg-analytics-0)", analytics.Reason);
    }

    [Fact]
    public async Task SurveyAsync_SelectorOnTheOperatorsPrimaryPod_ZalandoAndCrunchyProtected()
    {
        var report = await SurveyAsync();

        var acid = Find(report, StatefulKind.DatabaseOperator, "ops", "acid");
        var hippo = Find(report, StatefulKind.DatabaseOperator, "ops", "hippo");
        Assert.Equal((CoverageState.Protected, CoverageState.Protected), (acid.State, hippo.State));
        Assert.Contains("(pod acid-1)", acid.Reason);
        Assert.Contains("(pod hippo-instance1-abcd-0)", hippo.Reason);
    }

    [Fact]
    public async Task SurveyAsync_PostgresTargetOnAPerconaMongoDbPod_OperatorDatabaseUnprotected()
    {
        var rs = Find(await SurveyAsync(), StatefulKind.DatabaseOperator, "ops", "mongo-rs");

        Assert.Equal(CoverageState.Unprotected, rs.State);
        Assert.Contains("points at its pod mongo-rs-rs0-0, but it is an engine: postgresql target and the server runs MongoDB", rs.Reason);
    }

    [Fact]
    public async Task SurveyAsync_MySqlTargetOnAPerconaXtraDbClusterPod_ProtectedAndItsPodsNotListedAgain()
    {
        var report = await SurveyAsync();

        var galera = Find(report, StatefulKind.DatabaseOperator, "ops", "galera");
        Assert.Equal(CoverageState.Protected, galera.State);
        Assert.Contains("dumped by policy nightly's databases target galera (pod galera-pxc-0)", galera.Reason);
        Assert.Equal(CoverageState.Protected, Find(report, StatefulKind.PersistentVolumeClaim, "ops", "datadir-galera-pxc-0").State);
        Assert.DoesNotContain(report.Entries, e => e.Name == "galera-pxc-0");
    }

    [Fact]
    public async Task SurveyAsync_SelectorOnAPerconaPostgresPrimary_Protected()
    {
        var report = await SurveyAsync();

        var pg = Find(report, StatefulKind.DatabaseOperator, "ops", "percona-pg");
        Assert.Equal(CoverageState.Protected, pg.State);
        Assert.Contains("dumped by policy nightly's databases target percona-pg (pod percona-pg-instance1-wxyz-0)", pg.Reason);
        Assert.DoesNotContain(report.Entries, e => e.Name.StartsWith("percona-pg-instance1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SurveyAsync_PerconaServerForMySql_ProtectedThroughItsPrimary_ItsPodsListedUnderTheDatabase()
    {
        var report = await SurveyAsync();

        var ps1 = Find(report, StatefulKind.DatabaseOperator, "ops", "ps1");
        Assert.Equal(CoverageState.Protected, ps1.State);
        Assert.Contains("dumped by policy nightly's databases target ps (pod ps1-mysql-1)", ps1.Reason); // the primary, not the first by name
        var ps2 = Find(report, StatefulKind.DatabaseOperator, "ops", "ps2");
        Assert.Equal(CoverageState.Unprotected, ps2.State);
        Assert.Contains("points at its pod ps2-mysql-0, but it is an engine: postgresql target and the server runs MySQL", ps2.Reason);
        // percona-server images are databases by themselves; the operator's pods are listed under their database only.
        Assert.DoesNotContain(report.Entries, e => e.Kind == StatefulKind.DatabasePod && e.Name.StartsWith("ps", StringComparison.Ordinal));
    }

    private static CoverageEntry Find(CoverageReport report, StatefulKind kind, string? ns, string name) => CoveragePods.Find(report, kind, ns, name);

    private Task<CoverageReport> SurveyAsync(string policies = Policies)
    {
        var configuration = ConfigurationLoader.Parse(
            "clusters:\n  - name: prod\n    server: https://prod.example:6443\n" + policies + "\n", "strata.yaml", SystemTimeZones.Instance);
        return CoverageSurvey.SurveyAsync(configuration, configuration.Clusters[0], _cluster.Client, DateTimeOffset.UnixEpoch);
    }

    /// <summary>The sandbox the tests survey, seeded once.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private SandboxApiServer _server = null!;

        public KubernetesClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _server = await SandboxApiServer.StartAsync(new SandboxOptions());
            _server.CreateNamespace("eng");
            _server.CreateNamespace("ops");
            _server.Create(StorageObjects.StorageClass("managed-csi", "disk.csi.azure.com"));
            foreach (var claim in new[] { "pgdata-0", "pgdata-a", "pgdata-b", "cart-pgdata", "cart-uploads" })
            {
                _server.Create(StorageObjects.Claim("eng", claim, "managed-csi"));
            }

            // app=pg: pg-0 first by name but not Ready, so a backup dumps pg-a-0 and never pg-b-0.
            _server.Create(Pod("eng", "pg-0", new() { ["app"] = "pg", ["tier"] = "spare" }, ready: false, new Container("postgres:16", "pgdata-0")));
            _server.Create(Pod("eng", "pg-a-0", new() { ["app"] = "pg" }, ready: true, new Container("postgres:16", "pgdata-a")));
            _server.Create(Pod("eng", "pg-b-0", new() { ["app"] = "pg" }, ready: true, new Container("postgres:16", "pgdata-b")));
            _server.Create(Pod("eng", "docs-0", null, ready: true, new Container("mongo:7")));
            _server.Create(Pod("eng", "orders-0", null, ready: true, new Container("mariadb:11.4")));
            _server.Create(Pod("eng", "cache-0", null, ready: true, new Container("bitnami/redis:7.2")));
            _server.Create(Pod("eng", "cart-0", null, ready: true, new Container("registry.example/cart-uploader:3", "cart-uploads"), new Container("postgres:16", "cart-pgdata")));

            _server.Create(Crd("acid.zalan.do", "postgresqls", "postgresql"));
            _server.Create(Crd("postgres-operator.crunchydata.com", "postgresclusters", "PostgresCluster"));
            _server.Create(Crd("psmdb.percona.com", "perconaservermongodbs", "PerconaServerMongoDB"));
            _server.Create(Crd("pxc.percona.com", "perconaxtradbclusters", "PerconaXtraDBCluster"));
            _server.Create(Crd("pgv2.percona.com", "perconapgclusters", "PerconaPGCluster"));
            _server.Create(Crd("ps.percona.com", "perconaservermysqls", "PerconaServerMySQL"));
            foreach (var name in new[] { "pg", "pg-analytics", "acid" })
            {
                _server.Create(SampleApplication.Obj("acid.zalan.do/v1", "postgresql", "ops", name));
            }

            _server.Create(SampleApplication.Obj("postgres-operator.crunchydata.com/v1", "PostgresCluster", "ops", "hippo"));
            _server.Create(SampleApplication.Obj("psmdb.percona.com/v1", "PerconaServerMongoDB", "ops", "mongo-rs"));
            const string spilo = "ghcr.io/zalando/spilo-16:3.2";
            _server.Create(Pod("ops", "pg-0", new() { ["cluster-name"] = "pg", ["spilo-role"] = "master" }, ready: true, new Container(spilo)));
            _server.Create(Pod("ops", "pg-analytics-0", new() { ["cluster-name"] = "pg-analytics", ["spilo-role"] = "master" }, ready: true, new Container(spilo)));
            _server.Create(Pod("ops", "acid-0", new() { ["cluster-name"] = "acid", ["spilo-role"] = "replica" }, ready: true, new Container(spilo)));
            _server.Create(Pod("ops", "acid-1", new() { ["cluster-name"] = "acid", ["spilo-role"] = "master" }, ready: true, new Container(spilo)));
            _server.Create(Pod("ops", "hippo-instance1-abcd-0", new()
            {
                ["postgres-operator.crunchydata.com/cluster"] = "hippo",
                ["postgres-operator.crunchydata.com/role"] = "master",
            }, ready: true, new Container("registry.developers.crunchydata.com/crunchydata/crunchy-postgres:ubi8-16.2-0")));
            _server.Create(Pod("ops", "mongo-rs-rs0-0", new() { ["app.kubernetes.io/instance"] = "mongo-rs" }, ready: true, new Container("percona/percona-server-mongodb:7.0")));

            // Percona XtraDB Cluster: its pods and their claims carry app.kubernetes.io/instance with the cluster's name.
            _server.Create(SampleApplication.Obj("pxc.percona.com/v1", "PerconaXtraDBCluster", "ops", "galera"));
            _server.Create(StorageObjects.Claim("ops", "datadir-galera-pxc-0", "managed-csi", labels: new Dictionary<string, string> { ["app.kubernetes.io/instance"] = "galera" }));
            _server.Create(Pod("ops", "galera-pxc-0", new() { ["app.kubernetes.io/instance"] = "galera", ["app.kubernetes.io/component"] = "pxc" }, ready: true,
                new Container("percona/percona-xtradb-cluster:8.0.36", "datadir-galera-pxc-0")));

            // Percona Operator for PostgreSQL v2, a PGO fork: Crunchy's labels (served as v1 here, as every CRD the helper makes).
            _server.Create(SampleApplication.Obj("pgv2.percona.com/v1", "PerconaPGCluster", "ops", "percona-pg"));
            _server.Create(Pod("ops", "percona-pg-instance1-wxyz-0", new()
            {
                ["postgres-operator.crunchydata.com/cluster"] = "percona-pg",
                ["postgres-operator.crunchydata.com/role"] = "master",
            }, ready: true, new Container("percona/percona-postgresql-operator:2.5.0-ppg16.4-postgres")));

            // Percona Server for MySQL: the instance label, and mysql.percona.com/primary on the primary (here not the first by name).
            _server.Create(SampleApplication.Obj("ps.percona.com/v1", "PerconaServerMySQL", "ops", "ps1"));
            _server.Create(SampleApplication.Obj("ps.percona.com/v1", "PerconaServerMySQL", "ops", "ps2"));
            _server.Create(Pod("ops", "ps1-mysql-0", new() { ["app.kubernetes.io/instance"] = "ps1" }, ready: true, new Container("percona/percona-server:8.0.40")));
            _server.Create(Pod("ops", "ps1-mysql-1", new() { ["app.kubernetes.io/instance"] = "ps1", ["mysql.percona.com/primary"] = "true" }, ready: true,
                new Container("percona/percona-server:8.0.40")));
            _server.Create(Pod("ops", "ps2-mysql-0", new() { ["app.kubernetes.io/instance"] = "ps2" }, ready: true, new Container("percona/percona-server:8.0.40")));
            Client = new KubernetesClient(Kubeconfig.Parse(_server.Kubeconfig("prod"), "test kubeconfig").Resolve());
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await _server.DisposeAsync();
        }
    }
}
