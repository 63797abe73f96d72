using Strata.Adapters.Hosting;
using Strata.Adapters.Kubernetes;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.Sandbox;

namespace Strata.TestKit;

/// <summary>
/// A fleet in mixed states, made by running the control plane (not by writing records): four sandbox clusters and two
/// policies in a real strata.yaml, the local store and history in a temporary folder, and a clock the world moves
/// across thirty hours. At the end (<see cref="Clock"/> at <see cref="Start"/> + 30 h):
/// <list type="bullet">
/// <item>nightly on prod-eu — fresh: three verified backups of a growing application, each drilled, the cluster rolling
/// out at a different pace each time (three distinct RTOs, measured);</item>
/// <item>nightly on prod-us — at risk: its one verified backup is 22 h old against a 26 h objective (past 75 %);</item>
/// <item>nightly on staging — breached: verified 30 h ago, then the cluster went down and its backup failed; the
/// freshness sweep raised the RPO breach, which stays open;</item>
/// <item>hourly on edge — never proven: its only backup failed verification (an artifact damaged in the store);</item>
/// <item>nightly does not cover edge, hourly covers only edge: those pairs have no state.</item>
/// </list>
/// The status page, the metrics and <c>strata status</c> read it as any control plane's store and history.
/// </summary>
public sealed partial class FleetWorld : IAsyncDisposable
{
    /// <summary>When the world's clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 30, TimeSpan.Zero);

    /// <summary>The clusters, in strata.yaml's order.</summary>
    public static IReadOnlyList<string> ClusterNames { get; } = ["prod-eu", "prod-us", "staging", "edge"];

    /// <summary>The policies, in strata.yaml's order.</summary>
    public static IReadOnlyList<string> PolicyNames { get; } = ["nightly", "hourly"];

    /// <summary>
    /// What the status page shows for each (cluster, policy), in its contract's words (<c>data-state</c>): every pair the
    /// world made, and <c>none</c> for the pairs a policy does not cover.
    /// </summary>
    public static IReadOnlyDictionary<(string Cluster, string Policy), string> ExpectedStates { get; } = new Dictionary<(string, string), string>
    {
        [("prod-eu", "nightly")] = "fresh",
        [("prod-us", "nightly")] = "at-risk",
        [("staging", "nightly")] = "breached",
        [("edge", "nightly")] = "none",
        [("prod-eu", "hourly")] = "none",
        [("prod-us", "hourly")] = "none",
        [("staging", "hourly")] = "none",
        [("edge", "hourly")] = "never-proven",
    };

    /// <summary>The pair with verified, fresh backups and several drills.</summary>
    public static (string Cluster, string Policy) FreshPair { get; } = ("prod-eu", "nightly");

    /// <summary>The pair whose RPO breach is an open alert.</summary>
    public static (string Cluster, string Policy) BreachedPair { get; } = ("staging", "nightly");

    private const string Policies = """
        policies:
          - name: nightly
            clusters: [prod-eu, prod-us, staging]
            schedule: "0 2 * * *"
            rpo: 26h
            verification:
              drill: { rto: 10s }
          - name: hourly
            clusters: [edge]
            schedule: "0 * * * *"
            rpo: 2h
        """;

    private readonly Dictionary<string, SandboxApiServer> _clusters;
    private readonly Pace _pace = new();
    private IDisposable? _resources;
    private int _requests;

    private FleetWorld(Dictionary<string, SandboxApiServer> clusters)
    {
        _clusters = clusters;

        // The cluster the world takes down fails its backup after 2 s, not the default 2 min.
        Variables[KubernetesSettings.OutageBudget] = "2";
    }

    /// <summary>The sandbox API server of each cluster.</summary>
    public IReadOnlyDictionary<string, SandboxApiServer> Clusters => _clusters;

    /// <summary>Holds strata.yaml, the CA files, the store and the history.</summary>
    public TempDirectory Dir { get; } = new();

    /// <summary>The control plane's clock.</summary>
    public ManualClock Clock { get; } = new(Start);

    /// <summary>Environment variables (app settings) the control plane sees: the clusters' tokens.</summary>
    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>strata.yaml.</summary>
    public string ConfigPath => Path.Combine(Dir.Path, "strata.yaml");

    /// <summary>The store folder (artifacts, and the history in its <c>history/</c>).</summary>
    public string Store => Path.Combine(Dir.Path, "store");

    /// <summary>The store and history.</summary>
    public StoreLocation Location { get; private set; } = null!;

    /// <summary>The control plane.</summary>
    public ControlPlaneContext Context { get; private set; } = null!;

    /// <summary>Reads the world's environment.</summary>
    public string? Variable(string name) => Variables.GetValueOrDefault(name);

    /// <summary>Every backup the history holds.</summary>
    public async Task<IReadOnlyList<BackupRecord>> BackupsAsync() => await Location.History.ListBackupsAsync().ToListAsync();

    /// <summary>Every drill the history holds.</summary>
    public async Task<IReadOnlyList<DrillRecord>> DrillsAsync() => await Location.History.ListDrillsAsync().ToListAsync();

    /// <summary>Starts the clusters, writes strata.yaml and runs the thirty hours the class summary describes.</summary>
    public static async Task<FleetWorld> StartAsync()
    {
        var clusters = new Dictionary<string, SandboxApiServer>(StringComparer.Ordinal);
        var world = new FleetWorld(clusters);
        try
        {
            foreach (var name in ClusterNames)
            {
                // prod-eu is drilled: its controllers roll restored workloads out and bind claims, on real time at the world's pace.
                clusters[name] = await SandboxApiServer.StartAsync(name == FreshPair.Cluster ? world.DrillControllers : null);
                SampleApplication.Seed(clusters[name]);
                world.Variables[TokenVariable(name)] = clusters[name].AdminToken;
            }

            world.WriteConfiguration();
            world.Location = StoreLocation.Resolve(world.Store, null, null, world.Variable, world.Dir.Path);
            (world.Context, world._resources) = await ControlPlaneFactory.CreateAsync(world.ConfigPath, world.Location, world.Variable, world.Clock);
            await world.RunAsync();
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>The thirty hours, in order; each step says which state it is for.</summary>
    private async Task RunAsync()
    {
        // staging: verified at the start, 30 h old at the end (past its 26 h objective).
        await BackUpAsync("staging", "nightly", BackupStatus.Verified);

        // prod-eu: three verified backups, 12 h apart, each drilled; the application grows between them (drift in the charts).
        Clock.Advance(TimeSpan.FromHours(5));
        await DrillAsync(await BackUpAsync("prod-eu", "nightly", BackupStatus.Verified), pace: 1);

        // prod-us: verified at 8 h, 22 h old at the end (at risk: past 75 % of 26 h).
        Clock.Advance(TimeSpan.FromHours(3));
        await BackUpAsync("prod-us", "nightly", BackupStatus.Verified);

        Clock.Advance(TimeSpan.FromHours(9));
        Grow(_clusters["prod-eu"], "release-2", 6);
        await DrillAsync(await BackUpAsync("prod-eu", "nightly", BackupStatus.Verified), pace: 1.8);

        Clock.Advance(TimeSpan.FromHours(12));
        Grow(_clusters["prod-eu"], "release-3", 14);
        await DrillAsync(await BackUpAsync("prod-eu", "nightly", BackupStatus.Verified), pace: 1.4);

        // staging goes down: its backup fails (the backup worker alerts).
        await _clusters["staging"].StopListeningAsync();
        await BackUpAsync("staging", "nightly", BackupStatus.Failed);

        // edge: its first backup commits, then an artifact is damaged in the store before verification reads it back.
        Clock.Advance(TimeSpan.FromMinutes(30));
        await BackUpDamagedAsync("edge", "hourly");

        // The freshness timer's pass at 30 h raises staging's RPO breach; the alert dispatcher records the incident.
        Clock.Advance(TimeSpan.FromMinutes(30));
        var sweep = await FreshnessSweep.RunAsync(Context);
        foreach (var message in sweep.Messages)
        {
            await InlinePipeline.RunAsync(Context, message);
        }

        // The coverage timer's daily pass: every listening cluster surveyed (the sample application's claims and database
        // pod, which no policy here protects beyond their objects), staging's survey failing as its cluster is down.
        var coverage = await CoverageSweep.RunAsync(Context);
        foreach (var message in coverage.Messages)
        {
            await InlinePipeline.RunAsync(Context, message);
        }
    }

    /// <summary>Asks for a backup of (policy, cluster), as a CI pipeline would, and runs it with its verification and alerts.</summary>
    private async Task<BackupRecord> BackUpAsync(string cluster, string policy, BackupStatus expected)
    {
        var request = Request(cluster, policy);
        await InlinePipeline.RunAsync(Context, request);
        return await Recorded(request, expected);
    }

    /// <summary>Runs the backup worker alone, damages the committed archive, then lets the rest of the chain (verification, alerts) run.</summary>
    private async Task BackUpDamagedAsync(string cluster, string policy)
    {
        var request = Request(cluster, policy);
        var worker = ControlPlaneFunctions.ConsumerOf(Queues.Backups)!;
        var result = await worker.HandleAsync(Context, new InboundMessage(Queues.Backups, MessageCodec.Serialize(request), request.Id), CancellationToken.None);
        var record = await Recorded(request, BackupStatus.Succeeded);
        var archive = Directory.EnumerateFiles(Store, "resources.tar.gz", SearchOption.AllDirectories).Single(f => f.Contains(record.Id, StringComparison.Ordinal));
        File.SetAttributes(archive, FileAttributes.Normal);
        await using (var file = File.Open(archive, FileMode.Append))
        {
            file.WriteByte(0x2a); // one byte more than the manifest says: its size and SHA-256 no longer match
        }

        foreach (var message in result.Messages)
        {
            await InlinePipeline.RunAsync(Context, message);
        }

        await Recorded(request, BackupStatus.VerificationFailed);
    }

    /// <summary>
    /// Drills <paramref name="backup"/> through the verify worker. The drill waits for the sandbox's controllers, which run
    /// on real time, so it runs on a clock that starts at the world's time and moves with real time (its RTO is measured);
    /// the world's clock then moves on by as long as it took. prod-eu's controllers take <paramref name="pace"/> times their delays.
    /// </summary>
    private async Task DrillAsync(BackupRecord backup, double pace)
    {
        _pace.Set(pace);
        var id = $"fleet-drill-{Interlocked.Increment(ref _requests)}";
        var request = new Envelope(id, id, Clock.GetUtcNow(), new VerifyRequested(backup.Id, backup.Cluster, backup.Policy, VerificationKind.Drill));
        var running = new RunningClock(Clock.GetUtcNow());
        var drilling = Context with { Time = running, Options = Context.Options with { Drill = Context.Options.Drill with { PollInterval = TimeSpan.FromMilliseconds(250) } } };
        await InlinePipeline.RunAsync(drilling, request);
        Clock.Set(running.GetUtcNow());
        var drill = await Location.History.FindDrillAsync(DrillWorker.DrillIdFor(request));
        if (drill is not { Status: DrillStatus.Passed, RtoSeconds: not null })
        {
            throw new InvalidOperationException($"fleet world: the drill of {backup.Id} did not pass with an RTO: {drill?.Status} {drill?.Error}");
        }
    }

    private Envelope Request(string cluster, string policy)
    {
        var id = $"fleet-{Interlocked.Increment(ref _requests)}";
        return new Envelope(id, id, Clock.GetUtcNow(), new BackupRequested(cluster, policy, Reason: "fleet world", RequestedBy: "fleet-world"));
    }

    private async Task<BackupRecord> Recorded(Envelope request, BackupStatus expected)
    {
        var record = await Location.History.FindBackupAsync(BackupWorker.BackupIdFor(request));
        return record?.Status == expected
            ? record
            : throw new InvalidOperationException($"fleet world: backup of {((BackupRequested)request.Payload).Cluster} is {record?.Status.ToString() ?? "missing"}, not {expected}: {record?.Error}");
    }

    /// <summary>New objects in prod-eu's shop namespace, so the next backup is larger (the charts' drift).</summary>
    private static void Grow(SandboxApiServer server, string release, int count)
    {
        for (var i = 0; i < count; i++)
        {
            server.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", $"{release}-settings-{i}", new() { ["release"] = release },
                extra: o => o["data"] = new System.Text.Json.Nodes.JsonObject { ["SETTINGS"] = new string('x', 512 * (i + 1)) }));
        }
    }

    private void WriteConfiguration()
    {
        var lines = new List<string> { "clusters:" };
        foreach (var (name, server) in _clusters)
        {
            Dir.File($"{name}-ca.pem", server.Certificates.AuthorityPem);
            lines.Add($"  - name: {name}");
            lines.Add($"    server: {server.Url.AbsoluteUri}");
            lines.Add($"    certificateAuthority: {Path.Combine(Dir.Path, $"{name}-ca.pem")}");
            lines.Add($"    token: {{ env: {TokenVariable(name)} }}");
            lines.Add($"    tags: {{ env: {(name.StartsWith("prod", StringComparison.Ordinal) ? "prod" : name)} }}");
        }

        Dir.File("strata.yaml", string.Join('\n', lines) + "\n" + Policies + "\n");
    }

    private static string TokenVariable(string cluster) => cluster.ToUpperInvariant().Replace('-', '_') + "_TOKEN";

    /// <summary>As the drill tests set them (workloads ready after 1.5 s, claims bound after 0.5 s, namespaces gone after 0.3 s), at the world's pace.</summary>
    private SandboxOptions DrillControllers => new()
    {
        Time = _pace,
        Controllers = new SimulatedControllers
        {
            WorkloadReadyDelay = TimeSpan.FromMilliseconds(1500),
            VolumeBindDelay = TimeSpan.FromMilliseconds(500),
            JobCompletionDelay = TimeSpan.FromMilliseconds(500),
        },
        NamespaceDeletionDelay = TimeSpan.FromMilliseconds(300),
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _resources?.Dispose();
        foreach (var server in _clusters.Values)
        {
            await server.DisposeAsync();
        }

        Dir.Dispose();
    }
}
