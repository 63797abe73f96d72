using System.Text.Json.Nodes;
using Strata.Core.Runs;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The status page's data: per policy and cluster, the latest run, the latest good backup and
/// whether it is within the recovery-point objective; open incidents; rejected messages.
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
            if (record.IsVerified)
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
            ["rejectedMessages"] = rejected,
        };
    }
}
