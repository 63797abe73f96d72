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
    /// <summary>The name hosts subscribe to (<c>AddSource("Strata")</c>); the metrics' meters are named after it (<c>Strata.Metrics…</c>, each its own).</summary>
    public const string SourceName = "Strata";

    /// <summary>Tag: the cluster.</summary>
    public const string ClusterTag = "strata.cluster";

    /// <summary>Tag: the policy.</summary>
    public const string PolicyTag = "strata.policy";

    /// <summary>Tag: the backup id.</summary>
    public const string BackupIdTag = "strata.backup.id";

    /// <summary>Tag: the layer a capture span takes, in <see cref="Status.BackupLayers"/>' names (the metrics' <c>layer</c> label's vocabulary).</summary>
    public const string LayerTag = "strata.layer";

    /// <summary>Tag: the name the capturing layer gives itself in a backup's report (<c>volumes</c>, <c>cloudnativepg</c>, <c>wal-archiving</c>, …).</summary>
    public const string LayerReportTag = "strata.layer.report";

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

    /// <summary>Tags <paramref name="span"/> with the layer whose report name is <paramref name="report"/>: that name, and the <see cref="Status.BackupLayers"/> layer its artifacts fall in.</summary>
    public static Activity? TagLayer(Activity? span, string report) =>
        span?.SetTag(LayerReportTag, report).SetTag(LayerTag, LayerOf(report));

    /// <summary>Marks <paramref name="span"/> failed with <paramref name="reason"/>, its URLs redacted (<see cref="AddressRedaction"/>): a span leaves the process.</summary>
    public static void Fail(Activity? span, string? reason) =>
        span?.SetStatus(ActivityStatusCode.Error, AddressRedaction.Redact(reason));

    /// <summary>Marks <paramref name="span"/> failed by <paramref name="error"/> (a cancellation says only that).</summary>
    public static void Fail(Activity? span, Exception error) =>
        Fail(span, error is OperationCanceledException ? "cancelled" : error.Message);

    /// <summary>The <see cref="Status.BackupLayers"/> layer a report name's artifacts fall in (as <see cref="Status.BackupLayers.Of"/> files them); null for one it does not know.</summary>
    private static string? LayerOf(string report) => report switch
    {
        Status.BackupLayers.Objects => Status.BackupLayers.Objects,
        Volumes.VolumeLayer.Resource => Status.BackupLayers.Volumes,
        Databases.DatabaseLayer.Resource or Databases.CloudNativePg.CloudNativePgLayer.Resource or Databases.WalArchiverLayer.Resource
            or Applications.ApplicationLayer.Resource => Status.BackupLayers.Databases,
        Etcd.EtcdLayer.Resource => Status.BackupLayers.Etcd,
        _ => null,
    };
}
