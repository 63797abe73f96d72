using System.Text;
using Strata.Adapters.Etcd;
using Strata.Adapters.Hosting;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.Core.Etcd;
using Strata.TestKit;
using Strata.TestKit.Etcd;
using Strata.TestKit.Fakes;

namespace Strata.Adapters.Tests.Etcd;

/// <summary>
/// The rebuild drill for real: an etcd filled with kube-apiserver's keys, its snapshot taken through the gRPC connector and
/// stored as the etcd layer would, then restored with this machine's etcdutl/etcdctl, started, counted and torn down.
/// Fails (never skips) when etcd is not installed.
/// </summary>
public sealed class EtcdRebuildDrillTests : IAsyncLifetime
{
    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    /// <summary>What the backup captured, per resource.</summary>
    private static readonly Dictionary<string, long> Objects = new()
    {
        ["pods"] = 40,
        ["services"] = 3,
        ["deployments.apps"] = 5,
        ["configmaps"] = 12,
        ["ingresses.networking.k8s.io"] = 2,
        ["widgets.example.com"] = 4,
        ["customresourcedefinitions.apiextensions.k8s.io"] = 1,
    };

    private readonly TempDirectory _work = new();
    private readonly MemoryArtifactStore _store = new();
    private EtcdServer _etcd = null!;

    public async Task InitializeAsync() => _etcd = await EtcdServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _etcd.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task RunAsync_RealSnapshot_RebuildsCountsAndPasses_AndLeavesNothingBehind()
    {
        await FillAsync(Objects);
        var (manifest, prefix) = await BackUpAsync();
        var rehearsals = Rehearsals();

        var result = await new EtcdRebuildDrill(_store, rehearsals, Connector, TimeProvider.System).RunAsync(manifest, prefix, "strata-drill-a1b2c3");

        Assert.True(result.Passed, string.Join("; ", result.Problems));
        Assert.Equal(EtcdDrillScope.Rebuild, result.Scope);
        Assert.Matches(@"^etcd(utl|ctl) 3\.\d+\.\d+$", result.RestoreTool);
        Assert.Equal(Objects.Values.Sum() + 2, result.Keys); // and the two allocator bitmaps
        Assert.All(result.Resources.Where(r => r.Objects is not null), r => Assert.Equal(r.Objects, r.Keys));
        Assert.Equal(Objects.Keys.Order(StringComparer.Ordinal), result.Resources.Where(r => r.Objects is not null).Select(r => r.Resource));
        Assert.Equal("/registry/services/specs/", result.Resources.Single(r => r.Resource == "services").Prefix);
        Assert.Equal("/registry/example.com/widgets/", result.Resources.Single(r => r.Resource == "widgets.example.com").Prefix);
        Assert.True(result.RtoSeconds > 0 && result.RestoreSeconds > 0 && result.StartSeconds > 0, $"RTO {result.RtoSeconds}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work.Path)); // the data directory, the process's folder and the snapshot file
    }

    [Fact]
    public async Task RunAsync_TenThousandKeysSomeLarge_RebuildsAndCountsEveryKeyPerResource()
    {
        // As the issue's test names it: a populated etcd, 10,000 small ConfigMaps and 8 Secrets of 512 KiB.
        var objects = new Dictionary<string, long> { ["configmaps"] = 10_000, ["secrets"] = 8 };
        var small = Enumerable.Range(0, 10_000).Select(i =>
            KeyValuePair.Create($"/registry/configmaps/shop/settings-{i:D5}", Encoding.UTF8.GetBytes($"{{\"kind\":\"ConfigMap\",\"data\":{{\"n\":\"{i}\"}}}}")));
        var large = Enumerable.Range(0, 8).Select(i => KeyValuePair.Create($"/registry/secrets/shop/blob-{i}", Enumerable.Repeat((byte)('a' + i), 512 * 1024).ToArray()));
        Assert.Equal(10_008, await EtcdWriter.PutAsync(_etcd.Endpoint, small.Concat(large)));
        var (manifest, prefix) = await BackUpAsync(objects);

        var result = await new EtcdRebuildDrill(_store, Rehearsals(), Connector, TimeProvider.System).RunAsync(manifest, prefix, "strata-drill-10k");

        Assert.True(result.Passed, string.Join("; ", result.Problems));
        Assert.Equal(EtcdDrillScope.Rebuild, result.Scope);
        Assert.Equal(10_008, result.Keys);
        Assert.Equal(
            [("configmaps", "/registry/configmaps/", 10_000L, (long?)10_000), ("secrets", "/registry/secrets/", 8L, (long?)8)],
            result.Resources.Select(r => (r.Resource, r.Prefix, r.Keys, r.Objects)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work.Path));
    }

    [Fact]
    public async Task RunAsync_KeysOfAResourceGoneBeforeTheSnapshot_FailsNamingIt()
    {
        await FillAsync(Objects.Where(o => o.Key != "configmaps").ToDictionary());
        var (manifest, prefix) = await BackUpAsync();

        var result = await new EtcdRebuildDrill(_store, Rehearsals(), Connector, TimeProvider.System).RunAsync(manifest, prefix, "strata-drill-a1b2c3");

        Assert.Equal(EtcdDrillScope.Rebuild, result.Scope);
        Assert.Equal("configmaps: the backup holds 12 objects, but the rebuilt etcd has no key under /registry/configmaps/", Assert.Single(result.Problems));
        Assert.Null(result.RtoSeconds);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work.Path));
    }

    [Fact]
    public async Task RunAsync_FlippedByteInTheStoredSnapshot_FailsAtIntegrity_AndNeverRestores()
    {
        await FillAsync(Objects);
        var (manifest, prefix) = await BackUpAsync();
        var key = ArtifactLayout.ArtifactKey(prefix, ArtifactLayout.EtcdSnapshotPath);
        _store.Artifacts[key] = BoltSnapshots.Flipped(_store.Artifacts[key], _store.Artifacts[key].Length / 2);
        var rehearsals = new CountingRehearsals(Rehearsals());

        var result = await new EtcdRebuildDrill(_store, rehearsals, Connector, TimeProvider.System).RunAsync(manifest, prefix, "strata-drill-a1b2c3");

        Assert.StartsWith("the snapshot etcd/snapshot.db fails its integrity check", Assert.Single(result.Problems), StringComparison.Ordinal);
        Assert.Equal(0, rehearsals.Rebuilds);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work.Path));
    }

    [Fact]
    public async Task RebuildAsync_DamagedSnapshotFile_FailsWithTheRestoreToolsHashMessage()
    {
        await FillAsync(Objects);
        var snapshot = await SnapshotAsync();
        var file = Path.Combine(_work.Path, "damaged.db");
        await File.WriteAllBytesAsync(file, BoltSnapshots.Flipped(snapshot, snapshot.Length / 2));

        var error = await Assert.ThrowsAsync<EtcdRehearsalException>(() => Rehearsals().RebuildAsync(file, "damaged"));

        Assert.Contains("snapshot restore failed: Error: expected sha256", error.Message, StringComparison.Ordinal);
        Assert.Equal(["damaged.db"], Directory.EnumerateFileSystemEntries(_work.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RebuildAsync_ThenDispose_AnswersOnLoopback_ThenStopsAndDeletesItsData()
    {
        await FillAsync(new Dictionary<string, long> { ["pods"] = 3 });
        var file = Path.Combine(_work.Path, "snapshot.db");
        await File.WriteAllBytesAsync(file, await SnapshotAsync());

        var rehearsed = await Rehearsals().RebuildAsync(file, "rehearsal");
        long keys;
        await using (var endpoints = await Connector.ConnectAsync(rehearsed.Access))
        {
            keys = await endpoints.Members[0].KeysAsync("/registry/").LongCountAsync();
        }

        await rehearsed.DisposeAsync();

        Assert.Equal(5, keys);
        Assert.Equal("127.0.0.1", rehearsed.Access.Endpoints[0].Host);
        Assert.True(rehearsed.StartDuration > TimeSpan.Zero && rehearsed.RestoreDuration > TimeSpan.Zero);
        Assert.Equal(["snapshot.db"], Directory.EnumerateFileSystemEntries(_work.Path).Select(Path.GetFileName));
        await using var gone = await Connector.ConnectAsync(rehearsed.Access with { DialTimeout = TimeSpan.FromSeconds(1) });
        await Assert.ThrowsAsync<EtcdRequestException>(() => gone.Members[0].StatusAsync());
    }

    [Fact]
    public void Unavailable_ToolsMissing_SaysWhichAndWhere()
    {
        using var empty = new TempDirectory();
        using var onlyEtcd = new TempDirectory();
        onlyEtcd.File("etcd", "");

        Assert.Equal($"etcd and etcdutl (or etcdctl) are not on this runner (looked in {empty.Path})", new LocalEtcdRehearsals(Connector, TimeProvider.System, empty.Path).Unavailable);
        Assert.Equal($"neither etcdutl nor etcdctl is on this runner (looked in {onlyEtcd.Path})", new LocalEtcdRehearsals(Connector, TimeProvider.System, onlyEtcd.Path).Unavailable);
        Assert.Null(new LocalEtcdRehearsals(Connector, TimeProvider.System).Unavailable);
    }

    [Fact]
    public async Task ControlPlaneFactory_WiresTheLocalRehearsals_WhichFindThisMachinesTools()
    {
        var config = _work.File("strata.yaml", "clusters:\n  - name: prod\n    context: prod\npolicies:\n  - name: nightly\n    clusters: [prod]\n    schedule: \"0 2 * * *\"\n");
        var (context, resources) = await ControlPlaneFactory.CreateAsync(
            config, StoreLocation.Resolve(Path.Combine(_work.Path, "store"), null, null, _ => null, _work.Path), _ => null, TimeProvider.System);
        using var disposing = resources;

        Assert.Null(Assert.IsType<LocalEtcdRehearsals>(context.EtcdRehearsals).Unavailable);
    }

    private LocalEtcdRehearsals Rehearsals() => new(Connector, TimeProvider.System, workFolder: _work.Path);

    /// <summary>Puts the keys kube-apiserver would keep for <paramref name="objects"/>, and its two allocator bitmaps.</summary>
    private async Task FillAsync(IReadOnlyDictionary<string, long> objects)
    {
        var keys = objects.SelectMany(o => Enumerable.Range(0, (int)o.Value).Select(i =>
            Prefix(o.Key) + $"shop/{o.Key.Split('.')[0]}-{i}"))
            .Concat(["/registry/ranges/serviceips", "/registry/ranges/servicenodeports"]);
        await EtcdWriter.PutAsync(_etcd.Endpoint, keys.Select(k => KeyValuePair.Create(k, Encoding.UTF8.GetBytes($"{{\"key\":\"{k}\"}}"))));
    }

    /// <summary>Custom resources and CRDs keep their group in the key; the rest are built in.</summary>
    private static string Prefix(string resource) => resource is "widgets.example.com" or "customresourcedefinitions.apiextensions.k8s.io"
        ? EtcdKeyspace.GroupPrefix(resource)!
        : EtcdKeyspace.BuiltInPrefix(resource);

    private async Task<byte[]> SnapshotAsync()
    {
        await using var endpoints = await Connector.ConnectAsync(_etcd.Access);
        var snapshot = new MemoryStream();
        await foreach (var chunk in endpoints.Members[0].SnapshotAsync())
        {
            snapshot.Write(chunk.Data.Span);
        }

        return snapshot.ToArray();
    }

    private async Task<(BackupManifest Manifest, string Prefix)> BackUpAsync(IReadOnlyDictionary<string, long>? objects = null)
    {
        var snapshot = await SnapshotAsync();
        var manifest = EtcdBackups.Manifest("20261121-023000-0000aa", snapshot, objects ?? Objects);
        return (manifest, await EtcdBackups.StoreAsync(_store, manifest, snapshot));
    }

    private sealed class CountingRehearsals(IEtcdRehearsals inner) : IEtcdRehearsals
    {
        public int Rebuilds { get; private set; }

        public string? Unavailable => inner.Unavailable;

        public IEtcdSnapshotFile NewSnapshotFile() => inner.NewSnapshotFile();

        public Task<IRehearsedEtcd> RebuildAsync(string snapshotFile, string name, CancellationToken cancellationToken = default)
        {
            Rebuilds++;
            return inner.RebuildAsync(snapshotFile, name, cancellationToken);
        }
    }
}
