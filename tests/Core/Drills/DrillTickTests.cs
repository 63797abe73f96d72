using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;

namespace Strata.Core.Tests.Drills;

/// <summary>The drill timer: its own marks beside the backup schedule's, one request per cluster for its latest verified backup.</summary>
public sealed class DrillTickTests
{
    [Fact]
    public async Task Tick_FirstSeen_MarksOnly_ThenAsksForTheLatestVerifiedBackup_Once()
    {
        var fakes = await DrillFakes.CreateAsync("{ schedule: \"0 10 * * *\" }"); // the clock starts at 09:30
        var older = await fakes.BackUpAsync("ci-1");
        fakes.Plane.Clock.Advance(TimeSpan.FromMinutes(1));
        var latest = await fakes.BackUpAsync("ci-2");
        await fakes.Plane.History.SaveBackupAsync(latest with { Id = "20261121-093500-0000ff", Status = BackupStatus.VerificationFailed });

        var first = await DrillTick.RunAsync(fakes.Plane.Context);
        fakes.Plane.Clock.Set(new DateTimeOffset(2026, 11, 21, 10, 0, 20, TimeSpan.Zero));
        var due = await DrillTick.RunAsync(fakes.Plane.Context);
        var again = await DrillTick.RunAsync(fakes.Plane.Context);

        Assert.Empty(first.Messages);
        var request = Assert.Single(due.Messages);
        var payload = (VerifyRequested)request.Payload;
        var occurrence = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal((latest.Id, "prod", "nightly", VerificationKind.Drill, occurrence), (payload.BackupId, payload.Cluster, payload.Policy, payload.Kind, payload.ScheduledFor));
        Assert.NotEqual(older.Id, payload.BackupId);
        Assert.Equal("drill-" + DrillTick.ScheduledDrillId("nightly", "prod", occurrence), request.Id);
        Assert.Equal(DrillTick.ScheduledDrillId("nightly", "prod", occurrence), DrillWorker.DrillIdFor(request));
        Assert.Empty(again.Messages);

        var marks = await fakes.Plane.State.GetScheduleMarksAsync();
        Assert.Equal(occurrence, marks["drill/nightly"]);
        Assert.False(marks.ContainsKey("nightly") && marks["nightly"] == occurrence); // the backup schedule's mark is its own
    }

    [Fact]
    public async Task Tick_NoVerifiedBackupYet_SendsNothing_AndSaysSo()
    {
        var fakes = await DrillFakes.CreateAsync("{ schedule: \"0 10 * * *\" }");
        await DrillTick.RunAsync(fakes.Plane.Context);
        fakes.Plane.Clock.Set(new DateTimeOffset(2026, 11, 21, 10, 0, 20, TimeSpan.Zero));

        var due = await DrillTick.RunAsync(fakes.Plane.Context);

        Assert.Empty(due.Messages);
        Assert.Contains(due.Logs, l => l.Contains("has no verified backup to drill", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tick_DrillWithoutSchedule_IsNeverDue()
    {
        var fakes = await DrillFakes.CreateAsync("{ mode: dryRun }");

        var result = await DrillTick.RunAsync(fakes.Plane.Context);

        Assert.Empty(result.Logs);
        Assert.Empty(await fakes.Plane.State.GetScheduleMarksAsync());
    }

    [Fact]
    public async Task ScheduledDrill_RunsThroughTheVerifyWorker_UnderItsScheduledId()
    {
        var fakes = await DrillFakes.CreateAsync("{ schedule: \"0 10 * * *\" }");
        await fakes.BackUpAsync();
        await DrillTick.RunAsync(fakes.Plane.Context);
        fakes.Plane.Clock.Set(new DateTimeOffset(2026, 11, 21, 10, 0, 20, TimeSpan.Zero));
        var request = Assert.Single((await DrillTick.RunAsync(fakes.Plane.Context)).Messages);

        var outcome = await InlinePipeline.RunAsync(fakes.Plane.Context, request);

        var drill = await fakes.Plane.History.FindDrillAsync(DrillWorker.DrillIdFor(request));
        Assert.Equal((DrillStatus.Passed, "drill-tick"), (drill!.Status, drill.RequestedBy));
        Assert.Equal(["verify-worker"], outcome.Handled.Select(h => ControlPlaneFunctions.ConsumerOf(Queues.For(h.Message.Payload))!.Name));
    }
}
