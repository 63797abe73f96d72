using System.Text.Json.Nodes;
using Strata.Core.Freshness;
using Strata.Core.Kubernetes;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// A CloudNativePG Cluster's WAL archiver, as its status tells it: the <c>ContinuousArchiving</c> condition the instance
/// manager sets on every archive attempt (False, with the error, while it fails), and the last successful base backup.
/// </summary>
public static class CloudNativePgArchiver
{
    /// <summary>The archiver of <paramref name="cluster"/> (a <c>Cluster</c> object), read at <paramref name="now"/>.</summary>
    public static WalArchiverReading Read(KubeObject cluster, DateTimeOffset now)
    {
        var condition = ((cluster.Json["status"] as JsonObject)?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Text(c["type"]) == CloudNativePgApi.ContinuousArchiving);
        return new WalArchiverReading
        {
            Source = WalArchiverSource.CloudNativePg,
            ReadAt = now,
            Condition = Text(condition?["status"]),
            ConditionReason = Text(condition?["reason"]),
            ConditionMessage = Text(condition?["message"]),
            ConditionSince = CloudNativePgBackup.Time(Text(condition?["lastTransitionTime"])),
            LastSuccessfulBackupAt = CloudNativePgBackup.Time(cluster.GetString("status.lastSuccessfulBackup")),
            FirstRecoverabilityPoint = CloudNativePgBackup.Time(cluster.GetString("status.firstRecoverabilityPoint")),
        };
    }

    /// <summary>Reads and judges the archiver of <paramref name="cluster"/> against <paramref name="objective"/>.</summary>
    public static WalArchivingStatus Status(CloudNativePgTarget target, KubeObject cluster, DateTimeOffset now, TimeSpan? objective)
    {
        var reading = Read(cluster, now);
        var judgment = WalArchiving.Judge(reading, objective);
        return new WalArchivingStatus { Namespace = target.Namespace, Name = target.Cluster, Reading = reading, State = judgment.State, Reason = judgment.Reason };
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
