using System.Text.Json.Nodes;
using Strata.Adapters.Hosting;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Configuration;
using Strata.Core.Coverage;
using Strata.Sandbox;
using Strata.TestKit.CloudNativePg;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Coverage;

/// <summary>
/// The survey against a sandbox over the real client: claims of a class with and without a VolumeSnapshotClass, in and
/// out of a policy's scope; a StatefulSet; database pods by image (one a databases target, one not); CloudNativePG
/// Clusters (one a target, one not, its pods not listed again); an Argo CD-managed stateless Deployment; etcd's static pod.
/// </summary>
public sealed class CoverageSurveyTests : IClassFixture<CoverageSurveyTests.Cluster>
{
    private const string Policies = """
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "0 2 * * *"
            scope: { includeNamespaces: [shop, db] }
            volumes: snapshot
            databases:
              - { name: shop-db, namespace: shop, pod: postgres-0, passwordSecret: { name: pg, key: password }, databases: [shop] }
              - { name: acid, namespace: db, pod: acid-main-0, passwordSecret: { name: acid, key: password }, databases: [app] }
            cloudNativePG:
              - { namespace: db, cluster: pg-main }
          - name: control-plane
            clusters: [prod]
            schedule: "0 3 * * *"
            scope: { includeNamespaces: [kube-system] }
            etcd: { timeout: 10m }
        """;

    private readonly Cluster _cluster;

    public CoverageSurveyTests(Cluster cluster) => _cluster = cluster;

    [Fact]
    public async Task SurveyAsync_ClaimWithASnapshotClassInScope_ProtectedByTheVolumesLayer()
    {
        var entry = Find(await SurveyAsync(), StatefulKind.PersistentVolumeClaim, "shop", "data");

        Assert.Equal(CoverageState.Protected, entry.State);
        Assert.Equal([new CoverageProtection("nightly", "volumes")], entry.ProtectedBy);
        Assert.Equal("StorageClass managed-csi, driver disk.csi.azure.com, VolumeSnapshotClass csi-vsc", entry.Detail);
        Assert.Contains("VolumeSnapshotClass csi-vsc", entry.Reason);
    }

    [Fact]
    public async Task SurveyAsync_ClaimOfADriverWithoutSnapshotClass_UnprotectedSayingSo()
    {
        var entry = Find(await SurveyAsync(), StatefulKind.PersistentVolumeClaim, "shop", "scratch");

        Assert.Equal(CoverageState.Unprotected, entry.State);
        Assert.EndsWith("no VolumeSnapshotClass for its driver, so it cannot be snapshotted", entry.Detail);
        Assert.Contains("no VolumeSnapshotClass for driver rancher.io/local-path", entry.Reason);
        Assert.Contains("its objects are backed up (objects layer of nightly) but not its data", entry.Reason);
    }

    [Fact]
    public async Task SurveyAsync_ClaimOutsideEveryScope_UnprotectedNamingTheNamespace()
    {
        var entry = Find(await SurveyAsync(), StatefulKind.PersistentVolumeClaim, "legacy", "old-data");

        Assert.Equal(CoverageState.Unprotected, entry.State);
        Assert.Equal("no policy's scope includes namespace legacy", entry.Reason);
    }

    [Fact]
    public async Task SurveyAsync_PolicySkipsVolumes_ClaimUnprotectedSayingSo()
    {
        var report = await SurveyAsync(Policies.Replace("volumes: snapshot", "volumes: skip", StringComparison.Ordinal));

        var entry = Find(report, StatefulKind.PersistentVolumeClaim, "shop", "data");
        Assert.Equal(CoverageState.Unprotected, entry.State);
        Assert.Contains("policy nightly skips volumes", entry.Reason);
    }

    [Fact]
    public async Task SurveyAsync_DatabasePodThatIsATarget_ProtectedByTheDatabasesLayer_AndSoIsItsClaim()
    {
        var report = await SurveyAsync(Policies.Replace("volumes: snapshot", "volumes: skip", StringComparison.Ordinal));

        var pod = Find(report, StatefulKind.DatabasePod, "shop", "postgres-0");
        Assert.Equal(CoverageState.Protected, pod.State);
        Assert.Equal([new CoverageProtection("nightly", "databases")], pod.ProtectedBy);
        Assert.Equal("PostgreSQL, image docker.io/library/postgres:16", pod.Detail);
        Assert.Equal([new CoverageProtection("nightly", "databases")], Find(report, StatefulKind.PersistentVolumeClaim, "shop", "pgdata").ProtectedBy);
    }

    [Fact]
    public async Task SurveyAsync_DatabasePodNotATarget_UnprotectedThoughItsObjectsAreKept()
    {
        var report = await SurveyAsync(Policies.Replace("volumes: snapshot", "volumes: skip", StringComparison.Ordinal));

        var pod = Find(report, StatefulKind.DatabasePod, "shop", "cache-0");
        Assert.Equal(CoverageState.Unprotected, pod.State);
        Assert.StartsWith("Redis, image bitnami/redis:7.2", pod.Detail);
        Assert.Contains("no policy's databases: target points at it", pod.Reason);
        Assert.Contains("its objects are backed up (objects layer of nightly) but not its data", pod.Reason);
    }

    [Fact]
    public async Task SurveyAsync_DatabasePodNotATargetButItsClaimsSnapshotted_ProtectedByTheVolumesLayer()
    {
        var pod = Find(await SurveyAsync(), StatefulKind.DatabasePod, "shop", "cache-0");

        Assert.Equal(CoverageState.Protected, pod.State);
        Assert.Equal([new CoverageProtection("nightly", "volumes")], pod.ProtectedBy);
    }

    [Fact]
    public async Task SurveyAsync_StatefulSet_ProtectedWhenEveryClaimIs_UnprotectedNamingTheClaimThatIsNot()
    {
        var protectedSet = Find(await SurveyAsync(), StatefulKind.StatefulSet, "shop", "queue");
        var unprotectedSet = Find(await SurveyAsync(Policies.Replace("volumes: snapshot", "volumes: skip", StringComparison.Ordinal)), StatefulKind.StatefulSet, "shop", "queue");

        Assert.Equal((CoverageState.Protected, "1 claim(s)"), (protectedSet.State, protectedSet.Detail));
        Assert.Equal([new CoverageProtection("nightly", "volumes")], protectedSet.ProtectedBy);
        Assert.Equal(CoverageState.Unprotected, unprotectedSet.State);
        Assert.Contains("nothing protects its claim data-queue-0", unprotectedSet.Reason);
    }

    [Fact]
    public async Task SurveyAsync_CloudNativePgClusters_TheTargetProtected_TheOtherNot_TheirPodsNotListedAgain()
    {
        var report = await SurveyAsync();

        var main = Find(report, StatefulKind.DatabaseOperator, "db", "pg-main");
        var other = Find(report, StatefulKind.DatabaseOperator, "db", "pg-other");
        Assert.Equal((CoverageState.Protected, "CloudNativePG PostgreSQL (clusters.postgresql.cnpg.io), 3 instance(s)"), (main.State, main.Detail));
        Assert.Equal([new CoverageProtection("nightly", "databases")], main.ProtectedBy);
        Assert.Equal(CoverageState.Unprotected, other.State);
        Assert.Contains("not in any policy's cloudNativePG: targets", other.Reason);
        Assert.DoesNotContain(report.Entries, e => e.Kind == StatefulKind.DatabasePod && e.Namespace == "db");
    }

    [Fact]
    public async Task SurveyAsync_ZalandoPostgres_ProtectedByATargetOnItsPod_TheOtherNot_ItsStatefulSetNotListedAgain()
    {
        var report = await SurveyAsync();

        var main = Find(report, StatefulKind.DatabaseOperator, "db", "acid-main");
        var other = Find(report, StatefulKind.DatabaseOperator, "db", "acid-other");
        Assert.Equal((CoverageState.Protected, "Zalando PostgreSQL (postgresqls.acid.zalan.do)"), (main.State, main.Detail));
        Assert.Equal([new CoverageProtection("nightly", "databases")], main.ProtectedBy);
        Assert.Equal(CoverageState.Unprotected, other.State);
        Assert.Contains("no policy's databases: target points at its pods", other.Reason);
        Assert.DoesNotContain(report.Entries, e => e.Kind == StatefulKind.StatefulSet && e.Name == "acid-main");
        Assert.DoesNotContain(report.Entries, e => e.Namespace == "db" && e.Kind == StatefulKind.DatabaseOperator && e.Detail.Contains("Crunchy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SurveyAsync_DeploymentMountingAnUnprotectedClaim_UnprotectedNamingIt()
    {
        var uploader = Find(await SurveyAsync(), StatefulKind.Deployment, "shop", "uploader");

        Assert.Equal((CoverageState.Unprotected, "1 claim(s)"), (uploader.State, uploader.Detail));
        Assert.Contains("nothing protects its claim uploads", uploader.Reason);
    }

    [Fact]
    public async Task SurveyAsync_StatelessImperativeStatefulSet_ProtectedByTheObjectsLayerOfItsScope()
    {
        var inScope = Find(await SurveyAsync(), StatefulKind.StatefulSet, "shop", "workers");
        var outOfScope = Find(await SurveyAsync(Policies.Replace("includeNamespaces: [shop, db]", "includeNamespaces: [db]", StringComparison.Ordinal)), StatefulKind.StatefulSet, "shop", "workers");

        Assert.Equal(CoverageState.Protected, inScope.State);
        Assert.Equal([new CoverageProtection("nightly", "objects")], inScope.ProtectedBy);
        Assert.Equal(CoverageState.Unprotected, outOfScope.State);
        Assert.Contains("no policy's objects layer takes it", outOfScope.Reason);
    }

    [Fact]
    public async Task SurveyAsync_ArgoCdManagedStatelessDeployment_Rebuildable_ImperativeOneNotListed()
    {
        var report = await SurveyAsync();

        var web = Find(report, StatefulKind.Deployment, "shop", "web");
        Assert.Equal((CoverageState.Rebuildable, "managed by Argo CD (shop)"), (web.State, web.Detail));
        Assert.Contains("Git rebuilds it", web.Reason);
        Assert.DoesNotContain(report.Entries, e => e.Name == "api");
    }

    [Fact]
    public async Task SurveyAsync_EtcdStaticPod_UnprotectedWithoutEtcdSettings_ProtectedWithThem()
    {
        var without = Find(await SurveyAsync(), StatefulKind.Etcd, null, "etcd");
        var with = Find(await SurveyAsync(etcd: "etcd: { endpoints: [http://10.0.0.11:2379] }"), StatefulKind.Etcd, null, "etcd");

        Assert.Equal(CoverageState.Unprotected, without.State);
        Assert.Contains("has no etcd: settings in strata.yaml", without.Reason);
        Assert.StartsWith("static pod(s) etcd-cp1 in kube-system", without.Detail);
        Assert.Equal(CoverageState.Protected, with.State);
        Assert.Equal([new CoverageProtection("control-plane", "etcd")], with.ProtectedBy);
        Assert.Equal("static pod(s) etcd-cp1 in kube-system; 1 etcd endpoint(s) configured", with.Detail);
    }

    [Fact]
    public async Task SurveyAsync_NoPolicySelectsTheCluster_EverythingUnprotectedSayingSo()
    {
        var report = await SurveyAsync(Policies.Replace("clusters: [prod]", "clusters: [dr]", StringComparison.Ordinal));

        Assert.All(report.Entries.Where(e => e.State != CoverageState.Rebuildable), e => Assert.Equal(CoverageState.Unprotected, e.State));
        Assert.Contains("no policy in strata.yaml selects cluster prod", Find(report, StatefulKind.PersistentVolumeClaim, "shop", "data").Reason);
    }

    [Fact]
    public async Task RunAsync_UnreachableCluster_ReportCarriesTheError()
    {
        var configuration = Configuration(Policies, null);
        var report = await CoverageSurvey.RunAsync(configuration, configuration.Clusters[0], new TestKit.Fakes.FakeClusters(), TimeProvider.System);

        Assert.Empty(report.Entries);
        Assert.Contains("cannot reach [address]", report.Error);
        Assert.DoesNotContain("://", report.Error);
    }

    [Theory]
    [InlineData("docker.io/library/postgres:16", "PostgreSQL")]
    [InlineData("bitnami/postgresql", "PostgreSQL")]
    [InlineData("registry.example:5000/team/mariadb@sha256:0123abcd", "MariaDB")]
    [InlineData("mongo", "MongoDB")]
    [InlineData("valkey/valkey:8", "Valkey")]
    [InlineData("quay.io/prometheuscommunity/postgres-exporter:v0.15.0", null)]
    [InlineData("redis-commander", null)]
    public void Recognize_ByTheRepositorysLastSegment(string image, string? engine) =>
        Assert.Equal(engine, DatabaseImages.Recognize(image)?.Engine);

    private static CoverageEntry Find(CoverageReport report, StatefulKind kind, string? ns, string name) => CoveragePods.Find(report, kind, ns, name);

    private Task<CoverageReport> SurveyAsync(string policies = Policies, string? etcd = null)
    {
        var configuration = Configuration(policies, etcd);
        return CoverageSurvey.SurveyAsync(configuration, configuration.Clusters[0], _cluster.Client, DateTimeOffset.UnixEpoch);
    }

    private static StrataConfiguration Configuration(string policies, string? etcd) => ConfigurationLoader.Parse(
        "clusters:\n  - name: prod\n    server: https://prod.example:6443\n" + (etcd is null ? "" : $"    {etcd}\n") + "  - name: dr\n    server: https://dr.example:6443\n" + policies + "\n", "strata.yaml", SystemTimeZones.Instance);

    /// <summary>The sandbox the tests survey, seeded once.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private SandboxApiServer _server = null!;

        public KubernetesClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _server = await SandboxApiServer.StartAsync(new SandboxOptions { Controllers = new SimulatedControllers() });
            foreach (var ns in new[] { "shop", "legacy", "db" })
            {
                _server.CreateNamespace(ns);
            }

            VolumeSnapshotCrds.Install(_server);
            CloudNativePgCrds.Install(_server);
            _server.Create(StorageObjects.StorageClass("managed-csi", "disk.csi.azure.com"));
            _server.Create(StorageObjects.StorageClass("local-path", "rancher.io/local-path"));
            _server.Create(StorageObjects.VolumeSnapshotClass("csi-vsc", "disk.csi.azure.com", isDefault: true));
            _server.Create(StorageObjects.Claim("shop", "data", "managed-csi"));
            _server.Create(StorageObjects.Claim("shop", "scratch", "local-path"));
            _server.Create(StorageObjects.Claim("shop", "pgdata", "managed-csi"));
            _server.Create(StorageObjects.Claim("shop", "cache-data", "managed-csi"));
            _server.Create(StorageObjects.Claim("shop", "data-queue-0", "managed-csi"));
            _server.Create(StorageObjects.Claim("legacy", "old-data", "managed-csi"));
            _server.Create(StorageObjects.Claim("db", "pg-main-1", "managed-csi", labels: new Dictionary<string, string> { ["cnpg.io/cluster"] = "pg-main" }));
            _server.Create(Pod("shop", "postgres-0", "docker.io/library/postgres:16", claim: "pgdata"));
            _server.Create(Pod("shop", "cache-0", "bitnami/redis:7.2", claim: "cache-data"));
            _server.Create(Pod("db", "pg-main-1", "ghcr.io/cloudnative-pg/postgresql:16", labels: new() { ["cnpg.io/cluster"] = "pg-main" }));
            _server.Create(Pod("kube-system", "etcd-cp1", "registry.k8s.io/etcd:3.5.15-0", labels: new() { ["component"] = "etcd", ["tier"] = "control-plane" }));
            _server.Create(StatefulSet("shop", "queue", "rabbitmq:3"));
            _server.Create(SampleApplication.Deployment("shop", "web", "frontend", annotations: new() { ["argocd.argoproj.io/tracking-id"] = "shop:apps/Deployment:shop/web" }));
            _server.Create(SampleApplication.Deployment("shop", "api", "backend"));
            _server.Create(Crd("acid.zalan.do", "postgresqls", "postgresql"));
            _server.Create(SampleApplication.Obj("acid.zalan.do/v1", "postgresql", "db", "acid-main", extra: o => o["spec"] = new JsonObject { ["numberOfInstances"] = 2 }));
            _server.Create(SampleApplication.Obj("acid.zalan.do/v1", "postgresql", "db", "acid-other", extra: o => o["spec"] = new JsonObject { ["numberOfInstances"] = 1 }));
            _server.Create(StatefulSet("db", "acid-main", "ghcr.io/zalando/spilo-16:3.2", new() { ["cluster-name"] = "acid-main" }));
            _server.Create(Pod("db", "acid-main-0", "ghcr.io/zalando/spilo-16:3.2", labels: new() { ["cluster-name"] = "acid-main", ["spilo-role"] = "master" }));
            _server.Create(StorageObjects.Claim("shop", "uploads", "local-path"));
            _server.Create(Deployment("shop", "uploader", "registry.example/uploader:2", "uploads"));
            _server.Create(StatefulSet("shop", "workers", "registry.example/worker:1", claimTemplates: false));
            _server.Create(CloudNativePgCrds.Cluster("db", "pg-main"));
            _server.Create(CloudNativePgCrds.Cluster("db", "pg-other"));
            Client = new KubernetesClient(Kubeconfig.Parse(_server.Kubeconfig("prod"), "test kubeconfig").Resolve());
            await AllBoundAsync();
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await _server.DisposeAsync();
        }

        private async Task AllBoundAsync()
        {
            for (var i = 0; i < 200; i++)
            {
                var claims = await Client.ListAsync(Core.Volumes.VolumeSnapshotApi.Claims, new Core.Ports.ListRequest()).ToListAsync();
                if (claims.All(c => c.GetString("status.phase") == "Bound"))
                {
                    return;
                }

                await Task.Delay(25);
            }

            throw new TimeoutException("the sandbox's claims did not bind");
        }

        // A Ready pod of one container running image, mounting claim when given.
        private static JsonObject Pod(string ns, string name, string image, string? claim = null, Dictionary<string, string>? labels = null) =>
            CoveragePods.Pod(ns, name, labels, ready: true, claim is null ? new CoveragePods.Container(image) : new CoveragePods.Container(image, claim));

        private static JsonObject Crd(string group, string plural, string kind) => CoveragePods.Crd(group, plural, kind);

        private static JsonObject Deployment(string ns, string name, string image, string claim)
        {
            var deployment = SampleApplication.Deployment(ns, name, "backend");
            var template = deployment["spec"]!["template"]!["spec"]!;
            template["containers"]![0]!["image"] = image;
            template["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } });
            return deployment;
        }

        private static JsonObject StatefulSet(string ns, string name, string image, Dictionary<string, string>? labels = null, bool claimTemplates = true) =>
            SampleApplication.Obj("apps/v1", "StatefulSet", ns, name, new(labels ?? []) { ["app"] = name }, extra: o => o["spec"] = new JsonObject
            {
                ["serviceName"] = name,
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = image }) },
                },
                ["volumeClaimTemplates"] = claimTemplates
                    ? new JsonArray(new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = "data" },
                        ["spec"] = new JsonObject
                        {
                            ["accessModes"] = new JsonArray("ReadWriteOnce"),
                            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
                        },
                    })
                    : new JsonArray(),
            });
    }
}
