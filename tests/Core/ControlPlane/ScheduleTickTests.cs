using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>The schedule tick on the TestKit fakes: first sight, due occurrences, replays, catch-up, daylight saving.</summary>
public sealed class ScheduleTickTests
{
    private static readonly DateTimeOffset Before = new(2026, 11, 21, 2, 0, 0, TimeSpan.Zero);

    private static List<BackupRequested> Requests(FunctionResult result) => [.. result.Messages.Select(m => (BackupRequested)m.Payload)];

    [Fact]
    public async Task FirstTick_MarksThePolicy_AndSendsNothing()
    {
        var plane = ControlPlaneFakes.Create(start: Before);

        var result = await ScheduleTick.RunAsync(plane.Context);

        Assert.Empty(result.Messages);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 2, 30, 0, TimeSpan.Zero), (await plane.State.GetScheduleMarksAsync())["nightly"]);
    }

    [Fact]
    public async Task Tick_AfterAnOccurrence_AsksForOneBackupPerCluster_Once()
    {
        var plane = ControlPlaneFakes.Create(start: Before);
        await ScheduleTick.RunAsync(plane.Context);

        plane.Clock.Advance(TimeSpan.FromMinutes(31)); // 02:31
        var due = await ScheduleTick.RunAsync(plane.Context);
        var again = await ScheduleTick.RunAsync(plane.Context);

        var occurrence = new DateTimeOffset(2026, 11, 21, 2, 30, 0, TimeSpan.Zero);
        Assert.Equal(["dr", "prod"], Requests(due).Select(r => r.Cluster).Order());
        Assert.All(Requests(due), r => Assert.Equal((occurrence, "nightly", "schedule-tick"), (r.ScheduledFor, r.Policy, r.RequestedBy)));
        Assert.Empty(again.Messages);
    }

    [Fact]
    public async Task TwoTicksRacingOnTheSameMarks_AskForTheSameBackups()
    {
        // Two hosts fire the same minute before either saved its marks: the messages they send are the same
        // ones (same ids, so the queue's duplicate detection and the worker's replay check see one request).
        var first = ControlPlaneFakes.Create(start: Before);
        await ScheduleTick.RunAsync(first.Context);
        var marks = await first.State.GetScheduleMarksAsync();
        first.Clock.Advance(TimeSpan.FromMinutes(31));
        var now = first.Clock.GetUtcNow();

        var a = ScheduleTick.Decide(first.Context.Configuration, marks, now).SelectMany(d => d.Clusters.Select(c => ScheduleTick.Request(d.Policy, c, d.Occurrence, now).Id));
        var b = ScheduleTick.Decide(first.Context.Configuration, marks, now.AddSeconds(20)).SelectMany(d => d.Clusters.Select(c => ScheduleTick.Request(d.Policy, c, d.Occurrence, now.AddSeconds(20)).Id));

        Assert.Equal(a.Order(), b.Order());
        Assert.Equal(2, a.Count());
    }

    [Fact]
    public async Task TickAfterDowntime_CatchesUpOnce_AndSaysHowManyItFolded()
    {
        var plane = ControlPlaneFakes.Create(start: Before);
        await ScheduleTick.RunAsync(plane.Context);

        plane.Clock.Advance(TimeSpan.FromDays(3));
        var result = await ScheduleTick.RunAsync(plane.Context);

        Assert.Equal(2, result.Messages.Count);
        Assert.All(Requests(result), r => Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero).AddHours(-21.5), r.ScheduledFor));
        Assert.Contains(result.Logs, l => l.Contains("2 earlier occurrence(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PolicyInAZoneWithDaylightSaving_FiresWhenTheClockJumps()
    {
        // Amsterdam, 29 March 2026: 02:30 does not exist; the backup runs at the jump, 03:00 CEST (01:00 UTC).
        var plane = ControlPlaneFakes.Create("""
              - name: nightly
                clusters: ["prod"]
                schedule: "30 2 * * *"
                timeZone: Europe/Amsterdam
            """, start: new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero));
        await ScheduleTick.RunAsync(plane.Context);

        plane.Clock.Set(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero));
        var before = await ScheduleTick.RunAsync(plane.Context);
        plane.Clock.Set(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero));
        var at = await ScheduleTick.RunAsync(plane.Context);

        Assert.Empty(before.Messages);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), Assert.Single(Requests(at)).ScheduledFor);
    }
}
