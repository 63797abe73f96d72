using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Freshness;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Status;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Builds the status page's data (<see cref="FleetStatus"/>): per policy and cluster, the latest run,
/// the latest verified backup and where it stands against the recovery-point objective — judged by the
/// same rule the freshness timer alerts on — the latest restore drill with its RTO, the incidents, and how each
/// alert channel's deliveries go.
/// </summary>
public static class StatusReport
{
    /// <summary>Incidents listed, at most.</summary>
    public const int MaxAlerts = 50;

    /// <summary>Builds the report.</summary>
    public static Task<FleetStatus> BuildAsync(ControlPlaneContext context, CancellationToken cancellationToken = default) =>
        BuildAsync(context, null, null, null, null, cancellationToken);

    /// <summary>
    /// Builds the report of the fleet, or of <paramref name="cluster"/> alone (its rows, and its incidents before the cut to
    /// <see cref="MaxAlerts"/>), showing every backup and drill record to <paramref name="onBackup"/> and <paramref name="onDrill"/>
    /// as the history is read, and each row's judgment to <paramref name="onJudgment"/>: the status page's series and layers
    /// come from the same single pass.
    /// </summary>
    internal static async Task<FleetStatus> BuildAsync(
        ControlPlaneContext context, string? cluster, Action<BackupRecord>? onBackup, Action<DrillRecord>? onDrill, Action<RecoveryPointJudgment>? onJudgment,
        CancellationToken cancellationToken = default)
    {
        var now = context.Time.GetUtcNow();
        var evidence = new RecoveryPointObjectives.Evidence();
        var latest = new Dictionary<(string, string), BackupRecord>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            onBackup?.Invoke(record);
            evidence.Add(record);
            // By start time, not list order: run ids sort by the second they started in, and two runs can share one.
            var key = (record.Policy, record.Cluster);
            if (!latest.TryGetValue(key, out var known) || record.StartedAt > known.StartedAt)
            {
                latest[key] = record.AsSeenAt(now);
            }
        }

        var drills = new Dictionary<(string, string), DrillRecord>();
        await foreach (var drill in context.History.ListDrillsAsync(cancellationToken))
        {
            onDrill?.Invoke(drill);
            if (drill.Status != DrillStatus.Skipped) // a drill that never ran says nothing about the backup
            {
                drills.TryAdd((drill.Policy, drill.Cluster), drill);
            }
        }

        var alerts = new List<AlertRecord>();
        await foreach (var alert in context.State.ListAlertsAsync(cancellationToken))
        {
            alerts.Add(alert);
        }

        var health = new Dictionary<string, ChannelHealth>(StringComparer.Ordinal);
        await foreach (var channel in context.State.ListChannelHealthAsync(cancellationToken))
        {
            health[channel.Channel] = channel;
        }

        var rejected = 0;
        await foreach (var _ in context.State.ListRejectedAsync(cancellationToken))
        {
            rejected++;
        }

        var configuration = context.Configuration;

        // The coverage timer's latest survey per cluster, in configuration order (a cluster no longer configured is left out).
        var coverage = new Dictionary<string, Coverage.CoverageReport>(StringComparer.Ordinal);
        await foreach (var report in context.State.ListCoverageAsync(cancellationToken))
        {
            coverage[report.Cluster] = report;
        }

        var rows = evidence.Judge(configuration, now).Where(j => cluster is null || j.Cluster == cluster).Select(judgment =>
        {
            onJudgment?.Invoke(judgment);
            var policy = configuration.FindPolicy(judgment.Policy)!;
            var last = latest.GetValueOrDefault((judgment.Policy, judgment.Cluster));
            var drill = drills.GetValueOrDefault((judgment.Policy, judgment.Cluster));
            return new ProtectionStatus
            {
                Cluster = judgment.Cluster,
                Policy = judgment.Policy,
                Schedule = policy.Schedule.Text,
                TimeZone = policy.TimeZone.Id,
                NextRun = policy.Schedule.Next(now, policy.TimeZone),
                LastBackup = last is null ? null : new RunReference(last.Id, last.Status, last.StartedAt),
                LastVerified = judgment.LastVerified is { } verified
                    ? new RunReference(verified.Id, verified.Status, RecoveryPointObjectives.RecoveryPoint(verified)) : null,
                Rpo = judgment.Objective is { } objective ? DurationText.Format(objective) : null,
                RpoState = judgment.State,
                RpoAge = judgment.Age is { } age ? DurationText.Format(TimeSpan.FromMinutes(Math.Floor(age.TotalMinutes))) : null,
                LastDrill = drill is null ? null : new DrillReference(drill.Id, drill.Status, drill.StartedAt, drill.RtoSeconds, drill.ExceededObjective),
                OpenAlerts = alerts.Count(a => a.Status == IncidentStatus.Open && a.Cluster == judgment.Cluster && a.Policy == judgment.Policy),
            };
        }).ToList();

        return new FleetStatus
        {
            GeneratedAt = now,
            Configuration = configuration.Source,
            Protection = rows,
            Alerts = alerts.Where(a => cluster is null || a.Cluster == cluster).Take(MaxAlerts).ToList(),
            AlertChannels = configuration.Alerts.Channels.Select(c => health.GetValueOrDefault(c.Name) is { } h
                ? new ChannelStatus(c.Name, c.Type, h.ConsecutiveFailures == 0 ? "ok" : "failing", h.ConsecutiveFailures, h.LastSuccessAt, h.LastFailureAt, h.LastError)
                : new ChannelStatus(c.Name, c.Type, "unused", 0, null, null, null)).ToList(),
            RejectedMessages = rejected,
            Coverage = configuration.Clusters.Select(c => coverage.GetValueOrDefault(c.Name)).OfType<Coverage.CoverageReport>().ToList(),
        };
    }
}
