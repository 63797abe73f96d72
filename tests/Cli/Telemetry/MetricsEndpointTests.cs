using Strata.Adapters.Telemetry;
using Strata.Core.Freshness;
using Strata.Core.Status;

namespace Strata.Cli.Tests.Telemetry;

/// <summary><c>GET /metrics</c> after a backup, its verification and a drill ran through the control plane's functions.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests(ScrapedFleet fleet)
{
    private static readonly string[] LayerLabels = ["cluster", "layer", "policy"];
    private static readonly string[] PairLabels = ["cluster", "policy"];

    /// <summary>The sample of <paramref name="name"/> for prod or dr under hourly: the pair's (no layer label) when <paramref name="layer"/> is null.</summary>
    private PrometheusSample One(string name, string cluster, string? layer = null) =>
        Assert.Single(fleet.Samples, s => s.Name == name && s.Labels["cluster"] == cluster && s.Labels["policy"] == "hourly"
            && s.Labels.GetValueOrDefault("layer") == layer);

    [Fact]
    public void MapMetrics_AfterABackup_ExposesExactlyStratasNames_WithNoSuffixAdded()
    {
        var strata = fleet.Samples.Select(s => s.Name).Where(n => n.StartsWith("strata_", StringComparison.Ordinal)).ToHashSet();

        Assert.Equal(StrataMetrics.Names.Order(), strata.Order());
        Assert.DoesNotContain("_seconds_seconds", fleet.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("_ratio", fleet.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("strata_backup_bytes_bytes", fleet.Text, StringComparison.Ordinal);
        Assert.All(fleet.Samples.Where(s => s.Name.StartsWith("strata_", StringComparison.Ordinal)), s => Assert.Equal(
            s.Name is StrataMetrics.LastSuccessTimestamp or StrataMetrics.LastVerifiedTimestamp or StrataMetrics.BackupBytes or StrataMetrics.BackupObjects ? LayerLabels
            : s.Name is StrataMetrics.HistoryReadTimestamp ? []
            : s.Name is StrataMetrics.RpoBreached or StrataMetrics.DrillRto && s.Labels.ContainsKey("layer") ? LayerLabels
            : PairLabels,
            s.Labels.Keys.Order()));
    }

    [Fact]
    public void MapMetrics_HistoryReadTimestamp_IsWhenTheScrapeReadTheHistory_OnTheControlPlanesClock()
    {
        var read = Assert.Single(fleet.Samples, s => s.Name == StrataMetrics.HistoryReadTimestamp);

        Assert.Equal(fleet.World.Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, read.Value, 3);
    }

    [Fact]
    public void MapMetrics_LastVerified_IsTheRunsRecoveryPoint_PerLayerItHolds()
    {
        var recoveryPoint = RecoveryPointObjectives.RecoveryPoint(fleet.Prod).ToUnixTimeMilliseconds() / 1000.0;

        Assert.Equal(Core.Runs.BackupStatus.Verified, fleet.Prod.Status);
        Assert.Equal(recoveryPoint, One(StrataMetrics.LastVerifiedTimestamp, "prod", BackupLayers.Objects).Value, 3);
        Assert.Equal(recoveryPoint, One(StrataMetrics.LastSuccessTimestamp, "prod", BackupLayers.Objects).Value, 3);
        Assert.Equal(BackupLayers.Held(fleet.Prod), fleet.Samples.Where(s => s.Name == StrataMetrics.LastVerifiedTimestamp && s.Labels["cluster"] == "prod").Select(s => s.Labels["layer"]));
    }

    [Fact]
    public void MapMetrics_Bytes_AreTheRecordsArtifactSizesPerLayer_AndObjectsItsCount()
    {
        foreach (var (layer, bytes) in BackupLayers.Bytes(fleet.Prod))
        {
            Assert.Equal(bytes, One(StrataMetrics.BackupBytes, "prod", layer).Value);
        }

        Assert.True(fleet.Prod.ObjectCount > 0);
        Assert.Equal(fleet.Prod.ObjectCount, One(StrataMetrics.BackupObjects, "prod", BackupLayers.Objects).Value);
        Assert.Equal((fleet.Prod.CompletedAt!.Value - fleet.Prod.StartedAt).TotalSeconds, One(StrataMetrics.BackupDuration, "prod").Value, 3);
    }

    [Fact]
    public void MapMetrics_RpoBreached_IsOneForTheBreachedPairOnly_WithItsObjective()
    {
        Assert.Equal(0, One(StrataMetrics.RpoBreached, "prod").Value);
        Assert.Equal(1, One(StrataMetrics.RpoBreached, "dr").Value);
        Assert.Equal(7200, One(StrataMetrics.RpoObjective, "dr").Value);
    }

    [Fact]
    public void MapMetrics_RpoBreached_PerLayer_EachLayerJudgedOnItsOwnLastVerifiedBackup()
    {
        // dr's only backup is 3 h old against a 2 h RPO: every layer it holds is breached; prod's second one is fresh.
        Assert.NotEmpty(BackupLayers.Held(fleet.Dr));
        Assert.All(BackupLayers.Held(fleet.Dr), layer => Assert.Equal(1, One(StrataMetrics.RpoBreached, "dr", layer).Value));
        Assert.All(BackupLayers.Held(fleet.Prod), layer => Assert.Equal(0, One(StrataMetrics.RpoBreached, "prod", layer).Value));
        Assert.Equal(BackupLayers.Held(fleet.Prod), fleet.Samples.Where(s => s.Name == StrataMetrics.RpoBreached && s.Labels["cluster"] == "prod" && s.Labels.ContainsKey("layer"))
            .Select(s => s.Labels["layer"]));
    }

    [Fact]
    public void MapMetrics_DrillRto_IsTheDrillsMeasuredRto_AgainstItsObjective()
    {
        Assert.Equal(Core.Runs.DrillStatus.Passed, fleet.Drill.Status);
        Assert.Equal(fleet.Drill.RtoSeconds!.Value, One(StrataMetrics.DrillRto, "prod").Value, 6);
        Assert.Equal(600, One(StrataMetrics.DrillRtoObjective, "prod").Value);
        // Per layer: the scratch restore's own RTO (to its last assertion) for the objects it restored.
        var objects = FleetReadings.DrillRtoByLayer(fleet.Drill)[BackupLayers.Objects];
        Assert.Equal(fleet.Drill.Assertions.Max(a => a.Seconds) ?? fleet.Drill.RestoreSeconds, objects);
        Assert.Equal(objects, One(StrataMetrics.DrillRto, "prod", BackupLayers.Objects).Value, 6);
        Assert.DoesNotContain(fleet.Samples, s => s.Name == StrataMetrics.DrillRto && s.Labels["cluster"] == "dr"); // never drilled
    }
}
