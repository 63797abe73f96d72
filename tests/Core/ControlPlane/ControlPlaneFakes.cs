using System.Text.Json.Nodes;
using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>
/// The control plane on the TestKit fakes: in-memory history, state and store, clusters that are
/// <see cref="RecordingCluster"/>s, and a clock the test moves. strata.yaml has clusters "prod" and "dr"
/// and the policies given (default: "nightly" at 02:30 UTC on both).
/// </summary>
internal sealed class ControlPlaneFakes
{
    public const string Nightly = """
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"
        """;

    private ControlPlaneFakes(string policies, DateTimeOffset start, string alerts)
    {
        Clock = new ManualClock(start);
        var yaml = string.Join('\n',
            "clusters:",
            "  - name: prod",
            "    server: https://prod.example:6443",
            "  - name: dr",
            "    server: https://dr.example:6443",
            "policies:",
            policies,
            alerts) + "\n";
        Context = new ControlPlaneContext(
            ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance), Clusters, new MemoryArtifactStores(Store), History, State, Clock, new ControlPlaneOptions())
        {
            AlertChannels = Channels,
        };
    }

    public ManualClock Clock { get; }

    public MemoryRunHistory History { get; } = new();

    public MemoryControlState State { get; } = new();

    public MemoryArtifactStore Store { get; } = new();

    public FakeClusters Clusters { get; } = new();

    public RecordingAlertChannels Channels { get; } = new();

    public ControlPlaneContext Context { get; }

    /// <summary>The plane with <paramref name="policies"/> (default <see cref="Nightly"/>) and the <c>alerts:</c> section <paramref name="alerts"/>, if any.</summary>
    public static ControlPlaneFakes Create(string? policies = null, DateTimeOffset? start = null, string? alerts = null) =>
        new(policies ?? Nightly, start ?? new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero), alerts ?? "");

    /// <summary>Makes <paramref name="name"/> reachable, with a namespace and <paramref name="configMaps"/> ConfigMaps in it.</summary>
    public async Task<RecordingCluster> AddClusterAsync(string name, int configMaps = 3)
    {
        var cluster = new RecordingCluster { CreateLatency = TimeSpan.Zero };
        var namespaces = RecordingCluster.BuiltIn.Single(r => r.Name == "namespaces");
        var configmaps = RecordingCluster.BuiltIn.Single(r => r.Name == "configmaps");
        await cluster.CreateAsync(namespaces, null, Object("v1", "Namespace", "shop", null));
        for (var i = 0; i < configMaps; i++)
        {
            await cluster.CreateAsync(configmaps, "shop", Object("v1", "ConfigMap", $"settings-{i}", "shop"));
        }

        Clusters.Clusters[name] = cluster;
        return cluster;
    }

    /// <summary>A request as another system would send it.</summary>
    public Envelope Request(string id, string cluster = "prod", string policy = "nightly") =>
        new(id, id, Clock.GetUtcNow(), new BackupRequested(cluster, policy, RequestedBy: "ci"));

    /// <summary>A raised alert about <paramref name="cluster"/> and <paramref name="policy"/>.</summary>
    public Envelope Alert(string id, AlertSeverity severity = AlertSeverity.Critical, string kind = "backup-failed", string? cluster = "prod", string? policy = "nightly") =>
        new(id, id, Clock.GetUtcNow(), new AlertRaised(severity, kind, $"{kind} ({id})", $"{kind}/{policy}/{cluster}", cluster, policy));

    /// <summary>The message a queue trigger would deliver for <paramref name="envelope"/>.</summary>
    public static InboundMessage Delivery(Envelope envelope, int deliveryCount = 1) =>
        new(Queues.For(envelope.Payload), MessageCodec.Serialize(envelope), envelope.Id, deliveryCount);

    private static JsonObject Object(string apiVersion, string kind, string name, string? ns)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }
}
