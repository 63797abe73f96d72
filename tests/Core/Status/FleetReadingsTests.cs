using Strata.Core.Artifacts;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Status;
using Strata.Core.Tests.ControlPlane;

namespace Strata.Core.Tests.Status;

/// <summary>The metrics' readings of the run history: per layer, per pair, judged as the freshness timer judges.</summary>
public sealed class FleetReadingsTests
{
    private const string Hourly = """
          - name: hourly
            clusters: ["*"]
            schedule: "0 * * * *"
            rpo: 2h
        """;

    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create(Hourly, T0);

    private static BackupRecord Record(string id, string cluster, BackupStatus status, DateTimeOffset end, params Problem[] problems) => new()
    {
        Id = id,
        Cluster = cluster,
        Policy = "hourly",
        Status = status,
        StartedAt = end - TimeSpan.FromMinutes(4),
        CompletedAt = end,
        Location = ArtifactLayout.BackupPrefix(cluster, "hourly", id),
        ObjectCount = 40,
        Problems = problems,
        Artifacts =
        [
            new(ArtifactLayout.ResourcesArchive, 1000, "a"),
            new("volumes/shop/data.json", 200, "b"),
            new("databases/shop-db.dump", 3000, "c"),
            new("databases/orders.dump", 500, "d"),
        ],
    };

    [Fact]
    public void Of_PartialInOneLayer_TheOtherLayersStillSucceed_AndOnlyVerifiedBackupsCountAsVerified()
    {
        var verified = Record("b1", "prod", BackupStatus.Verified, T0);
        var partial = Record("b2", "prod", BackupStatus.PartiallyFailed, T0.AddHours(1),
            new Problem(ProblemSeverity.Error, "snapshot timed out", Core.Volumes.VolumeLayer.Resource, "shop", "data"),
            new Problem(ProblemSeverity.Warning, "a warning is no failure", "configmaps", "shop", "x"));

        var readings = FleetReadings.Of(_plane.Context.Configuration, [verified, partial], [], T0.AddHours(1.5));

        var prod = readings.Layers.Where(l => l.Cluster == "prod").ToDictionary(l => l.Layer);
        Assert.Equal([BackupLayers.Objects, BackupLayers.Volumes, BackupLayers.Databases], prod.Keys);
        Assert.Equal((T0.AddHours(1), T0, 1000L), (prod["objects"].LastSuccess, prod["objects"].LastVerified, prod["objects"].Bytes));
        Assert.Equal((T0, T0, 200L), (prod["volumes"].LastSuccess, prod["volumes"].LastVerified, prod["volumes"].Bytes)); // b2's volumes failed
        Assert.Equal(3500L, prod["databases"].Bytes);
        var pair = readings.Pairs.Single(p => p.Cluster == "prod");
        Assert.Equal((false, 7200d, 240d, 40L), (pair.Breached, pair.RpoSeconds!.Value, pair.LastDurationSeconds!.Value, pair.Objects!.Value));
    }

    [Fact]
    public void Of_FailedVerification_IsNoSuccess_AndTheBreachIsTheFreshnessTimersJudgement()
    {
        var damaged = Record("b1", "prod", BackupStatus.VerificationFailed, T0);
        var old = Record("b0", "dr", BackupStatus.Verified, T0.AddHours(-3));
        var drills = new[]
        {
            new DrillRecord { Id = "d1", BackupId = "b0", Policy = "hourly", Cluster = "dr", Target = "dr", Mode = Core.Configuration.DrillMode.Scratch, Status = DrillStatus.Passed, StartedAt = T0.AddHours(-2), RtoSeconds = 42, RtoObjectiveSeconds = 600 },
            new DrillRecord { Id = "d2", BackupId = "b0", Policy = "hourly", Cluster = "dr", Target = "dr", Mode = Core.Configuration.DrillMode.Scratch, Status = DrillStatus.Failed, StartedAt = T0.AddHours(-1) },
        };

        var readings = FleetReadings.Of(_plane.Context.Configuration, [damaged, old], drills, T0);

        Assert.DoesNotContain(readings.Layers, l => l.Cluster == "prod" && l.LastSuccess is not null);
        Assert.True(readings.Pairs.Single(p => p.Cluster == "dr").Breached);
        Assert.Equal((42d, 600d), (readings.Pairs.Single(p => p.Cluster == "dr").LastDrillRtoSeconds!.Value, readings.Pairs.Single(p => p.Cluster == "dr").RtoObjectiveSeconds!.Value));
    }

    [Fact]
    public void Of_LayerFailingWhileTheOthersVerify_BreachesItsOwnRpo_ThePairStaysFresh()
    {
        // Volumes verified 3 h ago (RPO 2 h); every backup since failed its snapshot but was verified for the rest.
        var old = Record("b1", "prod", BackupStatus.Verified, T0.AddHours(-3));
        var newer = Record("b2", "prod", BackupStatus.Verified, T0.AddMinutes(-30)) with
        {
            Artifacts = [new(ArtifactLayout.ResourcesArchive, 1000, "a"), new("databases/shop-db.dump", 3000, "c")],
            Problems = [new Problem(ProblemSeverity.Error, "snapshot timed out", Core.Volumes.VolumeLayer.Resource, "shop", "data")],
        };

        var readings = FleetReadings.Of(_plane.Context.Configuration, [old, newer], [], T0);

        var prod = readings.Layers.Where(l => l.Cluster == "prod").ToDictionary(l => l.Layer);
        Assert.False(readings.Pairs.Single(p => p.Cluster == "prod").Breached);
        Assert.Equal((false, true, false), (prod[BackupLayers.Objects].Breached, prod[BackupLayers.Volumes].Breached, prod[BackupLayers.Databases].Breached));
    }

    [Fact]
    public void Of_LayerNeverSucceeded_HasOnlyItsJudgement_PendingWithinTheRpo_BreachedAfter()
    {
        var failing = new Problem(ProblemSeverity.Error, "dump failed", Core.Databases.DatabaseLayer.Resource, "shop", "db");
        BackupRecord Partial(string id, DateTimeOffset end) => Record(id, "prod", BackupStatus.Verified, end) with
        {
            Artifacts = [new(ArtifactLayout.ResourcesArchive, 1000, "a")],
            Problems = [failing],
        };

        var early = FleetReadings.Of(_plane.Context.Configuration, [Partial("b1", T0.AddHours(-1))], [], T0);
        var late = FleetReadings.Of(_plane.Context.Configuration, [Partial("b0", T0.AddHours(-3)), Partial("b1", T0.AddMinutes(-10))], [], T0);

        var pending = Assert.Single(early.Layers, l => l is { Cluster: "prod", Layer: BackupLayers.Databases });
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null, (long?)null, false), (pending.LastSuccess, pending.LastVerified, pending.Bytes, pending.Breached));
        Assert.True(Assert.Single(late.Layers, l => l is { Cluster: "prod", Layer: BackupLayers.Databases }).Breached);
        Assert.False(late.Pairs.Single(p => p.Cluster == "prod").Breached);
    }

    [Fact]
    public void DrillRtoByLayer_ScratchDatabasesEtcd_EachItsOwnMeasurement_DryRunAndFailedNone()
    {
        var drill = new DrillRecord
        {
            Id = "d1", BackupId = "b1", Policy = "hourly", Cluster = "prod", Target = "prod", Mode = Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.Passed, StartedAt = T0, RtoSeconds = 120, RestoreSeconds = 20,
            Assertions = [new DrillAssertionResult("deployments shop/web rolled out", true, 45, null)],
            Databases =
            [
                new Core.Databases.DatabaseDrillResult { Target = "main", Database = "a", Scratch = "s1", Passed = true, RtoSeconds = 80 },
                new Core.Databases.DatabaseDrillResult { Target = "main", Database = "b", Scratch = "s2", Passed = true, RtoSeconds = 120 },
            ],
        };

        var rto = FleetReadings.DrillRtoByLayer(drill);

        Assert.Equal([(BackupLayers.Databases, 120d), (BackupLayers.Objects, 45d), (BackupLayers.Volumes, 45d)],
            rto.Select(r => (r.Key, r.Value)).Order());
        Assert.Empty(FleetReadings.DrillRtoByLayer(drill with { Status = DrillStatus.Failed, RtoSeconds = null }));
        Assert.Equal(20d, FleetReadings.DrillRtoByLayer(drill with { Assertions = [] })[BackupLayers.Objects]);
    }

    [Fact]
    public void Of_LayerDroppedFromThePolicy_HasNoSeries_EvenWhileOlderBackupsHoldIt()
    {
        var withDumps = Record("b1", "prod", BackupStatus.Verified, T0);
        var objectsOnly = ObjectsOnly(Record("b2", "prod", BackupStatus.Verified, T0.AddHours(1)));

        var readings = FleetReadings.Of(_plane.Context.Configuration, [objectsOnly, withDumps], [], T0.AddHours(1.5));

        Assert.Equal([BackupLayers.Objects], readings.Layers.Where(l => l.Cluster == "prod").Select(l => l.Layer));
    }

    [Fact]
    public void Of_LayerThatFailedInTheNewestBackup_KeepsItsSeriesOnThePreviousSuccess()
    {
        var withDumps = Record("b1", "prod", BackupStatus.Verified, T0);
        var dumpFailed = ObjectsOnly(Record("b2", "prod", BackupStatus.PartiallyFailed, T0.AddHours(1),
            new Problem(ProblemSeverity.Error, "dump failed", Core.Databases.DatabaseLayer.Resource, "shop", "db")));

        var readings = FleetReadings.Of(_plane.Context.Configuration, [dumpFailed, withDumps], [], T0.AddHours(1.5));

        var databases = Assert.Single(readings.Layers, l => l.Cluster == "prod" && l.Layer == BackupLayers.Databases);
        Assert.Equal((T0, T0), (databases.LastSuccess, databases.LastVerified)); // its age grows, so the per-layer rule fires
    }

    [Fact]
    public void Of_ExpiredBackups_AreNoSuccess_NorHoldALayersSeries()
    {
        var expired = Record("b1", "prod", BackupStatus.Verified, T0.AddHours(1)) with { ExpiredAt = T0.AddHours(1.2) };
        var kept = ObjectsOnly(Record("b0", "prod", BackupStatus.Succeeded, T0) with { StartedAt = T0.AddMinutes(-10) });

        var readings = FleetReadings.Of(_plane.Context.Configuration, [expired, kept], [], T0.AddHours(1.5));

        var objects = Assert.Single(readings.Layers, l => l.Cluster == "prod");
        Assert.Equal((BackupLayers.Objects, T0, (DateTimeOffset?)null, 1000L), (objects.Layer, objects.LastSuccess, objects.LastVerified, objects.Bytes));
        Assert.Equal(600d, readings.Pairs.Single(p => p.Cluster == "prod").LastDurationSeconds); // the kept backup's, not the deleted one's
    }

    [Fact]
    public async Task ReadAsync_LongHistory_HoldsOnlyWhatEachPairsReadingNeeds()
    {
        var history = new StreamedHistory(count: 600, T0, Record);

        var readings = await FleetReadings.ReadAsync(_plane.Context with { History = history });

        Assert.True(history.HeldAtEnd <= 60, $"{history.HeldAtEnd} of 600 records were still held when the listing ended");
        Assert.Equal(["prod", "dr"], readings.Pairs.Select(p => p.Cluster));
        Assert.Equal(T0.AddHours(-1), readings.Layers.Single(l => l is { Cluster: "prod", Layer: BackupLayers.Objects }).LastSuccess);
    }

    private static BackupRecord ObjectsOnly(BackupRecord record) => record with { Artifacts = [record.Artifacts[0]] };

    [Theory]
    [InlineData("deployments.apps", BackupLayers.Objects)]
    [InlineData(Core.Volumes.VolumeLayer.Resource, BackupLayers.Volumes)]
    [InlineData(Core.Databases.CloudNativePg.CloudNativePgLayer.Resource, BackupLayers.Databases)]
    [InlineData(Core.Applications.ApplicationLayer.Resource, BackupLayers.Databases)]
    [InlineData(Core.Etcd.EtcdLayer.Resource, BackupLayers.Etcd)]
    public void LayerOf_AProblemsResource_NamesItsLayer(string resource, string layer) =>
        Assert.Equal(layer, FleetReadings.LayerOf(new Problem(ProblemSeverity.Error, "x", resource)));
}
