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
        BuildAsync(context, null, null, cancellationToken);

    /// <summary>
    /// Builds the report, showing every backup and drill record to <paramref name="onBackup"/> and <paramref name="onDrill"/>
    /// as the history is read: the status page's series come from the same single pass.
    /// </summary>
    internal static async Task<FleetStatus> BuildAsync(
        ControlPlaneContext context, Action<BackupRecord>? onBackup, Action<DrillRecord>? onDrill, CancellationToken cancellationToken = default)
    {
        var now = context.Time.GetUtcNow();
        var judged = new JudgedRecords();
        var latest = new Dictionary<(string, string), BackupRecord>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            onBackup?.Invoke(record);
            judged.Add(record);
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

        var rows = RecoveryPointObjectives.Judge(configuration, judged.Records, now).Select(judgment =>
        {
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
            Alerts = alerts.Take(MaxAlerts).ToList(),
            AlertChannels = configuration.Alerts.Channels.Select(c => health.GetValueOrDefault(c.Name) is { } h
                ? new ChannelStatus(c.Name, c.Type, h.ConsecutiveFailures == 0 ? "ok" : "failing", h.ConsecutiveFailures, h.LastSuccessAt, h.LastFailureAt, h.LastError)
                : new ChannelStatus(c.Name, c.Type, "unused", 0, null, null, null)).ToList(),
            RejectedMessages = rejected,
            Coverage = configuration.Clusters.Select(c => coverage.GetValueOrDefault(c.Name)).OfType<Coverage.CoverageReport>().ToList(),
        };
    }

    /// <summary>
    /// Of every record, only those the RPO judgment can pick per pair — the newest verified, the newest committed awaiting
    /// verification, the oldest run — so that memory stays bounded per pair however long the history is.
    /// </summary>
    private sealed class JudgedRecords
    {
        private readonly Dictionary<(string, string), BackupRecord> _newestVerified = [];
        private readonly Dictionary<(string, string), BackupRecord> _newestAwaiting = [];
        private readonly Dictionary<(string, string), BackupRecord> _oldestRun = [];

        public IEnumerable<BackupRecord> Records => _newestVerified.Values.Concat(_newestAwaiting.Values).Concat(_oldestRun.Values).Distinct();

        public void Add(BackupRecord record)
        {
            var key = (record.Policy, record.Cluster);
            if (record.IsVerified)
            {
                KeepNewest(_newestVerified, key, record);
            }

            if (record.Status == BackupStatus.Succeeded && record.ExpiredAt is null)
            {
                KeepNewest(_newestAwaiting, key, record);
            }

            if (!_oldestRun.TryGetValue(key, out var oldest) || record.StartedAt < oldest.StartedAt)
            {
                _oldestRun[key] = record;
            }
        }

        // First seen wins a tie, as in the judgment itself.
        private static void KeepNewest(Dictionary<(string, string), BackupRecord> newest, (string, string) key, BackupRecord record)
        {
            if (!newest.TryGetValue(key, out var known) || RecoveryPointObjectives.RecoveryPoint(record) > RecoveryPointObjectives.RecoveryPoint(known))
            {
                newest[key] = record;
            }
        }
    }
}
