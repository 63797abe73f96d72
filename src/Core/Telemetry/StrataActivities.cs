using System.Diagnostics;

namespace Strata.Core.Telemetry;

/// <summary>
/// The traces of Strata's work: one <see cref="ActivitySource"/> named <see cref="SourceName"/> whose spans follow a backup's
/// stages (<c>backup</c> → <c>backup.plan</c>, <c>backup.capture</c> per layer, <c>backup.manifest</c>), its verification and a
/// restore drill. An <see cref="ActivitySource"/> is the BCL's tracing API and costs nothing while no listener (an
/// OpenTelemetry tracer provider in the hosts) subscribes, so Core starts spans itself. Tags name the work — cluster, policy,
/// backup id, layer — never a value the work carries (no secret, no token, no object content).
/// </summary>
public static class StrataActivities
{
    /// <summary>The name hosts subscribe to (<c>AddSource("Strata")</c>); also the meter's name.</summary>
    public const string SourceName = "Strata";

    /// <summary>Tag: the cluster.</summary>
    public const string ClusterTag = "strata.cluster";

    /// <summary>Tag: the policy.</summary>
    public const string PolicyTag = "strata.policy";

    /// <summary>Tag: the backup id.</summary>
    public const string BackupIdTag = "strata.backup.id";

    /// <summary>Tag: the layer a capture span takes (<see cref="Status.BackupLayers"/>' names, or the layer's own report name).</summary>
    public const string LayerTag = "strata.layer";

    /// <summary>Tag: how the backup, verification or drill ended (<c>Succeeded</c>, <c>Verified</c>, <c>Passed</c>, …).</summary>
    public const string StatusTag = "strata.status";

    /// <summary>Tag: the drill id.</summary>
    public const string DrillIdTag = "strata.drill.id";

    /// <summary>The source every span of Strata comes from.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>Starts a span named <paramref name="name"/> about (cluster, policy, backup id); null when nothing listens.</summary>
    public static Activity? Start(string name, string cluster, string policy, string backupId)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag(ClusterTag, cluster).SetTag(PolicyTag, policy).SetTag(BackupIdTag, backupId);
        return activity;
    }
}
