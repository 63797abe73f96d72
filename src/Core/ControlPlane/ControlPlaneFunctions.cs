namespace Strata.Core.ControlPlane;

/// <summary>
/// The control plane's triggered functions, as one table: the Functions app, <c>strata run</c> and the
/// container host (<c>strata run --service-bus</c>) all dispatch from it, so a new worker is one row here.
/// </summary>
public static class ControlPlaneFunctions
{
    /// <summary>The functions that consume a queue, one per queue.</summary>
    public static IReadOnlyList<QueueFunction> Queue { get; } =
    [
        new("backup-worker", Queues.Backups, [Queues.Verifications, Queues.Alerts, Queues.Events], BackupWorker.HandleAsync),
        new("verify-worker", Queues.Verifications, [Queues.Alerts], VerifyWorker.HandleAsync),
        new("restore-worker", Queues.Restores, [Queues.Alerts], RestoreWorker.HandleAsync),
        new("alert-dispatcher", Queues.Alerts, [], AlertDispatcher.HandleAsync),
    ];

    /// <summary>The functions that run on a timer.</summary>
    public static IReadOnlyList<TimerFunction> Timer { get; } =
    [
        // Every minute: a policy's cron schedule has minute resolution.
        new("schedule-tick", "0 * * * * *", TimeSpan.FromMinutes(1), [Queues.Backups], ScheduleTick.RunAsync),

        // Every minute, like schedule-tick (a drill schedule is cron too), half a minute after it so the two do not start together.
        new("drill-tick", "30 * * * * *", TimeSpan.FromMinutes(1), [Queues.Verifications], DrillTick.RunAsync),

        // Every 5 minutes: RPO breaches, dead runs, a verification queue that is not draining, a stopped schedule.
        new("freshness", "0 */5 * * * *", TimeSpan.FromMinutes(5), [Queues.Alerts, Queues.Verifications], FreshnessSweep.RunAsync),

        // Hourly, off the hour (minute 7) so it does not meet the top-of-the-hour backup burst.
        new("retention", "0 7 * * * *", TimeSpan.FromHours(1), [Queues.Alerts], RetentionSweep.RunAsync),

        // Daily at 04:23 UTC: off the hour and its half (where backup schedules cluster), off retention's minute 7, and
        // before the working day in Europe, so the warning about what nothing protects is waiting when people arrive.
        new("coverage", "0 23 4 * * *", TimeSpan.FromDays(1), [Queues.Alerts], CoverageSweep.RunAsync),
    ];

    /// <summary>The function that consumes <paramref name="queue"/>, or null when none does (e.g. <c>strata-events</c>, which is for other systems).</summary>
    public static QueueFunction? ConsumerOf(string queue) => Queue.FirstOrDefault(f => f.Queue == queue);
}
