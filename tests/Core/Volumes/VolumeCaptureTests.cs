using System.Diagnostics;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Sandbox;
using Strata.TestKit.Fakes;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>The volume layer inside a whole backup (<see cref="BackupCapture"/>): beside the objects, into one manifest.</summary>
public sealed class VolumeCaptureTests
{
    private static BackupRequest Request => new("prod", new BackupScope { IncludeNamespaces = ["shop"] }, "nightly", VolumeSandbox.BackupId);

    [Fact]
    public async Task RunAsync_StatefulSetWithThreeClaims_OneWithoutASnapshotClass_TwoSnapshotsRecorded_OneUnprotected_InTheManifest()
    {
        await using var world = await VolumeSandbox.StartAsync();
        world.Server.Create(StorageObjects.StorageClass("gp3", "ebs.csi.aws.com"));
        world.Server.Create(StorageObjects.StatefulSet("shop", "web", "managed-csi", "5Gi", replicas: 3));
        world.Claim("data-web-0");
        world.Claim("data-web-1");
        world.Claim("data-web-2", "gp3");
        var history = new MemoryRunHistory();

        var outcome = await new BackupCapture(world.Client, world.Store, history, TimeProvider.System, new BackupCaptureOptions { Ids = new SequentialIdSource() }, layers: [world.Layer(VolumeSandbox.Snapshot())]).RunAsync(Request);

        Assert.Equal(BackupStatus.Succeeded, outcome.Record.Status);
        var manifest = outcome.Manifest!;
        Assert.Equal(["data-web-0", "data-web-1"], manifest.Volumes!.Select(v => v.Claim));
        Assert.All(manifest.Volumes!, v => Assert.True(v.ReadyToUse && v.SnapshotHandle is not null));
        var unprotected = Assert.Single(manifest.UnprotectedVolumes!);
        Assert.Equal(("data-web-2", "no VolumeSnapshotClass for driver ebs.csi.aws.com: none in volumes.classes matches StorageClass gp3, and none is marked default"),
            (unprotected.Claim, unprotected.Reason));
        Assert.Equal([ArtifactLayout.ResourcesArchive, "volumes/shop/data-web-0.json", "volumes/shop/data-web-1.json"], manifest.Artifacts.Select(a => a.Path));
        Assert.Contains(manifest.Problems, p => p is { Severity: ProblemSeverity.Warning, Name: "data-web-2", Reason: ProblemReasons.Unprotected });
        Assert.True(manifest.Counts.Total > 0);

        var read = await ManifestFile.ReadAsync(world.Store, outcome.Record.Location);
        Assert.Equal(2, read!.Volumes!.Count);
        Assert.Single(read.UnprotectedVolumes!);
    }

    [Fact]
    public async Task RunAsync_SnapshotKeepsFailing_TheBackupIsPartiallyFailed_NamingTheClaim_AndTheObjectsCommit()
    {
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { Fails = s => s.Name.StartsWith("data-web-1", StringComparison.Ordinal) });
        world.Claim("data-web-0");
        world.Claim("data-web-1");
        var layer = world.Layer(VolumeSandbox.Snapshot() with { Timeout = VolumeSandbox.ShortTimeout });

        var outcome = await new BackupCapture(world.Client, world.Store, new MemoryRunHistory(), TimeProvider.System, new BackupCaptureOptions { Ids = new SequentialIdSource() }, layers: [layer]).RunAsync(Request);

        Assert.Equal(BackupStatus.PartiallyFailed, outcome.Record.Status);
        var error = Assert.Single(outcome.Record.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(("volumes", "shop", "data-web-1", ProblemReasons.SnapshotFailed), (error.Resource, error.Namespace, error.Name, error.Reason));
        Assert.Equal([ArtifactLayout.ResourcesArchive, "volumes/shop/data-web-0.json"], outcome.Manifest!.Artifacts.Select(a => a.Path));
        Assert.True(outcome.Manifest.Counts.Total > 0);
    }

    [Fact]
    public async Task RunAsync_FiftyClaims_SnapshotsOverlapEachOther_AndTheObjects_OnOneListPerPoll()
    {
        var delay = TimeSpan.FromSeconds(2);
        await using var world = await VolumeSandbox.StartAsync(new SimulatedSnapshots { SnapshotDelay = delay });
        for (var i = 0; i < 50; i++)
        {
            world.Claim($"data-{i:00}");
        }

        var timeline = Stopwatch.StartNew();
        var cluster = new TimelineCluster(world.Client, timeline);
        var store = new TimelineStore(world.Store, timeline);
        var settings = VolumeSandbox.Snapshot() with { PollInterval = TimeSpan.FromMilliseconds(250) };
        var layer = world.Layer(settings, client: cluster);

        var outcome = await new BackupCapture(world.Client, store, new MemoryRunHistory(), TimeProvider.System, new BackupCaptureOptions { Ids = new SequentialIdSource() }, layers: [layer]).RunAsync(Request);
        var took = timeline.Elapsed;

        Assert.Equal(BackupStatus.Succeeded, outcome.Record.Status);
        Assert.Equal(50, outcome.Manifest!.Volumes!.Count(v => v.ReadyToUse));
        var creates = cluster.Calls.Where(c => c is { Verb: "create", Resource: "volumesnapshots" }).Select(c => c.At).ToList();
        Assert.Equal(50, creates.Count);
        Assert.True(creates.Max() - creates.Min() < delay, $"the 50 snapshots were asked for over {creates.Max() - creates.Min()}: they did not overlap");

        // Readiness is read by one LIST per namespace per poll, shared by every waiter — not a GET per claim per poll.
        var lists = cluster.Count("list", "volumesnapshots");
        Assert.InRange(lists, 1, (int)(took / settings.PollInterval) + 2);
        Assert.Equal(50, cluster.Count("get", "volumesnapshotcontents"));
        Assert.Equal(50, cluster.Count("get", "volumesnapshots")); // each claim's create-or-reuse read, once

        // The objects did not wait for the snapshots: their archive was committed while the snapshots were still being taken.
        var archive = store.Commits.Single(c => c.Key.EndsWith(ArtifactLayout.ResourcesArchive, StringComparison.Ordinal)).At;
        Assert.True(cluster.Calls.Min(c => c.At) < archive, "the volume layer started only after the objects");
        Assert.True(archive < store.Commits.Where(c => c.Key.Contains("/volumes/", StringComparison.Ordinal)).Min(c => c.At), "the objects waited for the snapshots");
        Assert.True(took < 5 * delay, $"50 snapshots of {delay.TotalSeconds} s took {took.TotalSeconds:0.0} s");
    }
}
