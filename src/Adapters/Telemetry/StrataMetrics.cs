using System.Diagnostics.Metrics;
using System.Globalization;
using Strata.Core.ControlPlane;
using Strata.Core.Status;
using Strata.Core.Telemetry;

namespace Strata.Adapters.Telemetry;

/// <summary>
/// Strata's metrics: gauges of recoverability read from the run history (<see cref="FleetReadings"/>), so they say the same as
/// the freshness timer and the status page, and a restarted process reports the truth at once. Every value is a state, so
/// every instrument is an observable gauge over one cached reading (<see cref="FleetReadingsCache"/>: the history is read at
/// most once per <see cref="StrataMetricsOptions.MaxAge"/>, whoever scrapes how often), the same one for every gauge of a
/// collect (<see cref="ReadingPerCollect"/>). The backup duration is the last
/// backup's, not a histogram: backups run a few times a day, too rarely for rate()-based quantiles, and a gauge from history
/// survives a restart. Names carry their unit suffix already and each instrument its UCUM unit, so Prometheus shows
/// them exactly as <see cref="Names"/> (the scrape endpoint also turns suffixing off) and Azure Monitor knows the unit.
/// </summary>
public sealed class StrataMetrics : IDisposable
{
    /// <summary>Per (cluster, policy, layer): the recovery point of the layer's last successful backup, Unix seconds.</summary>
    public const string LastSuccessTimestamp = "strata_backup_last_success_timestamp_seconds";

    /// <summary>Per (cluster, policy, layer): the recovery point of the last verified backup holding the layer, Unix seconds.</summary>
    public const string LastVerifiedTimestamp = "strata_backup_last_verified_timestamp_seconds";

    /// <summary>
    /// Per (cluster, policy): how long the last committed backup took, seconds. No layer label: the run record and the
    /// manifest hold the start and end of the whole backup only, not of each layer.
    /// </summary>
    public const string BackupDuration = "strata_backup_duration_seconds";

    /// <summary>Per (cluster, policy, layer): the artifact bytes of the layer's last successful backup.</summary>
    public const string BackupBytes = "strata_backup_bytes";

    /// <summary>Per (cluster, policy, layer="objects"): API objects in the last backup whose objects layer succeeded.</summary>
    public const string BackupObjects = "strata_backup_objects";

    /// <summary>
    /// The RTO the last drill that measured one measured, seconds: per (cluster, policy) without a layer label — the whole
    /// drill, the value the RTO objective is set for — and per (cluster, policy, layer) each layer's own measurement
    /// (<see cref="FleetReadings.DrillRtoByLayer"/>).
    /// </summary>
    public const string DrillRto = "strata_drill_rto_seconds";

    /// <summary>
    /// 1 when the recovery-point objective is breached, else 0: per (cluster, policy) without a layer label — the freshness
    /// timer's judgement on the pair's last verified backup, for every configured pair — and per (cluster, policy, layer) the
    /// same rule on the layer's own last verified backup, for every layer the pair's newest backup holds or failed in.
    /// </summary>
    public const string RpoBreached = "strata_rpo_breached";

    /// <summary>Per (cluster, policy): the policy's recovery-point objective, seconds (pairs whose policy sets one); for alert rules.</summary>
    public const string RpoObjective = "strata_rpo_objective_seconds";

    /// <summary>Per (cluster, policy): the RTO objective the last measured drill ran under, seconds; for alert rules.</summary>
    public const string DrillRtoObjective = "strata_drill_rto_objective_seconds";

    /// <summary>
    /// No labels: when the history was last read successfully, Unix seconds (the control plane's clock). It stops advancing
    /// while reads fail — every other gauge then keeps the last good reading — so its age is what tells an unreadable
    /// history from a healthy one.
    /// </summary>
    public const string HistoryReadTimestamp = "strata_history_read_timestamp_seconds";

    /// <summary>The prefix of each <see cref="StrataMetrics"/>' own meter name (<c>Strata.Metrics.1</c>, …; <see cref="StrataMetricsOptions.MeterName"/>).</summary>
    public const string MeterPrefix = StrataActivities.SourceName + ".Metrics.";

    /// <summary>Label: the cluster, as strata.yaml names it.</summary>
    public const string ClusterLabel = "cluster";

    /// <summary>Label: the policy.</summary>
    public const string PolicyLabel = "policy";

    /// <summary>Label: the layer (<see cref="BackupLayers"/>: objects, volumes, databases, etcd).</summary>
    public const string LayerLabel = "layer";

    private static int s_instances;

    private readonly Meter _meter;
    private readonly FleetReadingsCache _readings;
    private readonly ReadingPerCollect _collect;

    /// <summary>Every metric name Strata exports, as Prometheus shows it.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [LastSuccessTimestamp, LastVerifiedTimestamp, BackupDuration, BackupBytes, BackupObjects, DrillRto, RpoBreached, RpoObjective, DrillRtoObjective, HistoryReadTimestamp];

    /// <summary>The metrics of the control plane <paramref name="context"/> gives (read lazily: a Functions app builds it on first use).</summary>
    public StrataMetrics(Func<CancellationToken, Task<ControlPlaneContext>> context, StrataMetricsOptions? options = null)
        : this(async ct => await FleetReadings.ReadAsync(await context(ct), ct), options)
    {
    }

    /// <summary>The metrics of <paramref name="context"/>.</summary>
    public StrataMetrics(ControlPlaneContext context, StrataMetricsOptions? options = null)
        : this(ct => FleetReadings.ReadAsync(context, ct), options)
    {
    }

    /// <summary>The metrics of whatever <paramref name="read"/> reads (tests give a slow or failing history).</summary>
    internal StrataMetrics(Func<CancellationToken, Task<FleetReadings>> read, StrataMetricsOptions? options)
    {
        options ??= new StrataMetricsOptions();
        _readings = new FleetReadingsCache(read, options.MaxAge, options.ReadTimeout, options.ReadDeadline, options.Stopwatch);
        _collect = new ReadingPerCollect(_readings.Current);
        // A name of its own, so that a provider subscribing to it hears this instance only: two endpoints in one process
        // (strata serve beside a test's, two tests at once) would otherwise each export the other's series too.
        _meter = new Meter(options.MeterName ?? MeterPrefix + Interlocked.Increment(ref s_instances).ToString(CultureInfo.InvariantCulture));
        _meter.CreateObservableGauge(LastSuccessTimestamp, () => Layers(LastSuccessTimestamp, l => Seconds(l.LastSuccess)), "s",
            "Recovery point of the newest committed backup whose artifacts hold the layer with no error in it (Unix time)");
        _meter.CreateObservableGauge(LastVerifiedTimestamp, () => Layers(LastVerifiedTimestamp, l => Seconds(l.LastVerified)), "s",
            "Recovery point of the newest verified backup holding the layer (Unix time)");
        _meter.CreateObservableGauge(BackupBytes, () => Layers(BackupBytes, l => l.Bytes), "By", "Artifact bytes of the layer in its last successful backup");
        _meter.CreateObservableGauge(BackupDuration, () => Pairs(BackupDuration, p => p.LastDurationSeconds), "s", "Duration of the newest committed backup");
        _meter.CreateObservableGauge(BackupObjects, () => Pairs(BackupObjects, p => p.Objects, BackupLayers.Objects), "{object}", "API objects in the newest backup whose objects layer succeeded");
        _meter.CreateObservableGauge(DrillRto, () => PairsAndLayers(DrillRto, p => p.LastDrillRtoSeconds, l => l.DrillRtoSeconds), "s",
            "RTO measured by the newest restore drill that measured one (without layer: the whole drill; with: that layer's)");
        _meter.CreateObservableGauge(RpoBreached, () => PairsAndLayers(RpoBreached, p => (int?)(p.Breached ? 1 : 0), l => (int?)(l.Breached ? 1 : 0)), null,
            "1 when the recovery-point objective is breached, else 0 (without layer: the pair's last verified backup; with: the layer's)");
        _meter.CreateObservableGauge(RpoObjective, () => Pairs(RpoObjective, p => p.RpoSeconds), "s", "The policy's recovery-point objective");
        _meter.CreateObservableGauge(DrillRtoObjective, () => Pairs(DrillRtoObjective, p => p.RtoObjectiveSeconds), "s", "The RTO objective of the newest drill that measured an RTO");
        _meter.CreateObservableGauge(HistoryReadTimestamp, HistoryRead, "s",
            "When the run history was last read successfully (Unix time); stops advancing while reads fail");
    }

    /// <summary>The name of this instance's meter (<see cref="MeterPrefix"/> and a number): what its provider subscribes to.</summary>
    public string MeterName => _meter.Name;

    /// <summary>Reads the history if the reading is stale, waiting at most the read timeout (asynchronously): a scrape's step before it collects.</summary>
    internal Task RefreshAsync(CancellationToken cancellationToken) => _readings.RefreshAsync(cancellationToken);

    /// <summary>Why the last read of the history failed (the gauges keep the reading before it), or null.</summary>
    public string? LastReadError => _readings.LastError;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static double? Seconds(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds() / 1000.0;

    private IEnumerable<Measurement<double>> HistoryRead() =>
        _collect.For(HistoryReadTimestamp) is { } reading ? [new Measurement<double>(Seconds(reading.At)!.Value)] : [];

    private IEnumerable<Measurement<T>> Layers<T>(string instrument, Func<LayerReading, T?> value) where T : struct =>
        Layers(_collect.For(instrument), value);

    // Both series of one instrument from one reading: asking the collect twice for the same instrument would start the next collect.
    private IEnumerable<Measurement<T>> PairsAndLayers<T>(string instrument, Func<PairReading, T?> pair, Func<LayerReading, T?> layer) where T : struct
    {
        var reading = _collect.For(instrument);
        return [.. Pairs(reading, pair), .. Layers(reading, layer)];
    }

    private static IEnumerable<Measurement<T>> Layers<T>(FleetReadings? reading, Func<LayerReading, T?> value) where T : struct =>
        (reading?.Layers ?? []).Where(l => value(l) is not null).Select(l => new Measurement<T>(value(l)!.Value,
            new(ClusterLabel, l.Cluster), new(PolicyLabel, l.Policy), new(LayerLabel, l.Layer)));

    // A pair's series, with no layer label or, for a value of one layer (objects), with that layer's.
    private IEnumerable<Measurement<T>> Pairs<T>(string instrument, Func<PairReading, T?> value, string? layer = null) where T : struct =>
        Pairs(_collect.For(instrument), value, layer);

    private static IEnumerable<Measurement<T>> Pairs<T>(FleetReadings? reading, Func<PairReading, T?> value, string? layer = null) where T : struct =>
        (reading?.Pairs ?? []).Where(p => value(p) is not null).Select(p => layer is null
            ? new Measurement<T>(value(p)!.Value, new(ClusterLabel, p.Cluster), new(PolicyLabel, p.Policy))
            : new Measurement<T>(value(p)!.Value, new(ClusterLabel, p.Cluster), new(PolicyLabel, p.Policy), new(LayerLabel, layer)));
}
