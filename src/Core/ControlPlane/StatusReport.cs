using System.Text.Json.Nodes;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The status page's data: per policy and cluster, the latest run, the latest good backup and
/// whether it is within the recovery-point objective; incidents (open or resolved, and who was told); each
/// alert channel's delivery health; rejected messages.
/// </summary>
public static class StatusReport
{
    /// <summary>Builds the report as JSON.</summary>
    public static async Task<JsonObject> BuildAsync(ControlPlaneContext context, CancellationToken cancellationToken = default)
    {
        var now = context.Time.GetUtcNow();
        var latest = new Dictionary<(string, string), BackupRecord>();
        var latestGood = new Dictionary<(string, string), BackupRecord>();
        await foreach (var record in context.History.ListBackupsAsync(cancellationToken))
        {
            var key = (record.Policy, record.Cluster);
            latest.TryAdd(key, record);
            if (record.Status is BackupStatus.Succeeded or BackupStatus.PartiallyFailed && record.ExpiredAt is null)
            {
                latestGood.TryAdd(key, record);
            }
        }

        var protection = new JsonArray();
        var configuration = context.Configuration;
        foreach (var policy in configuration.Policies)
        {
            foreach (var cluster in configuration.ClustersOf(policy))
            {
                var key = (policy.Name, cluster.Name);
                latest.TryGetValue(key, out var last);
                latestGood.TryGetValue(key, out var good);
                var age = good is null ? (TimeSpan?)null : now - (good.CompletedAt ?? good.StartedAt);
                protection.Add(new JsonObject
                {
                    ["policy"] = policy.Name,
                    ["cluster"] = cluster.Name,
                    ["schedule"] = policy.Schedule.Text,
                    ["timeZone"] = policy.TimeZone.Id,
                    ["nextRun"] = policy.Schedule.Next(now, policy.TimeZone)?.ToString("O"),
                    ["lastRun"] = last is null ? null : new JsonObject { ["id"] = last.Id, ["status"] = last.Status.ToString(), ["startedAt"] = last.StartedAt.ToString("O") },
                    ["lastGood"] = good is null ? null : new JsonObject { ["id"] = good.Id, ["completedAt"] = (good.CompletedAt ?? good.StartedAt).ToString("O") },
                    ["rpo"] = policy.RecoveryPointObjective is { } rpo ? Configuration.DurationText.Format(rpo) : null,
                    ["rpoMet"] = policy.RecoveryPointObjective is { } objective ? age is { } a && a <= objective : null,
                });
            }
        }

        var incidents = new JsonArray();
        await foreach (var alert in context.State.ListAlertsAsync(cancellationToken))
        {
            if (incidents.Count == 50)
            {
                break;
            }

            incidents.Add(new JsonObject
            {
                ["dedupKey"] = alert.DedupKey,
                ["severity"] = alert.Severity.ToString().ToLowerInvariant(),
                ["kind"] = alert.Kind,
                ["summary"] = alert.Summary,
                ["count"] = alert.Count,
                ["lastRaisedAt"] = alert.LastRaisedAt.ToString("O"),
                ["status"] = alert.Status == Alerts.IncidentStatus.Open ? "open" : "resolved",
                ["resolvedAt"] = alert.ResolvedAt?.ToString("O"),
                ["notified"] = new JsonArray([.. alert.Notifications.Select(n => (JsonNode)n.Channel)]),
            });
        }

        // Every configured channel, with how its deliveries have gone: a revoked webhook shows here.
        var health = new Dictionary<string, Ports.ChannelHealth>(StringComparer.Ordinal);
        await foreach (var channel in context.State.ListChannelHealthAsync(cancellationToken))
        {
            health[channel.Channel] = channel;
        }

        var channels = new JsonArray();
        foreach (var channel in configuration.Alerts.Channels)
        {
            health.TryGetValue(channel.Name, out var h);
            channels.Add(new JsonObject
            {
                ["name"] = channel.Name,
                ["type"] = channel.Type.ToString().ToLowerInvariant(),
                ["state"] = h is null ? "unused" : h.ConsecutiveFailures == 0 ? "ok" : "failing",
                ["consecutiveFailures"] = h?.ConsecutiveFailures ?? 0,
                ["lastSuccessAt"] = h?.LastSuccessAt?.ToString("O"),
                ["lastFailureAt"] = h?.LastFailureAt?.ToString("O"),
                ["lastError"] = h?.LastError,
            });
        }

        var rejected = 0;
        await foreach (var _ in context.State.ListRejectedAsync(cancellationToken))
        {
            rejected++;
        }

        return new JsonObject
        {
            ["generatedAt"] = now.ToString("O"),
            ["configuration"] = configuration.Source,
            ["protection"] = protection,
            ["alerts"] = incidents,
            ["alertChannels"] = channels,
            ["rejectedMessages"] = rejected,
        };
    }
}
