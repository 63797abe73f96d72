using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The CloudNativePG operator's backup controller, simulated (<see cref="SimulatedCloudNativePg"/>). A created
/// <c>Backup</c> of a Cluster that exists is <c>running</c> at once and, after the delay, <c>completed</c> — with the
/// fields the operator writes for its method (Barman's backup id and name, the WAL and LSN range, startedAt/stoppedAt,
/// the destination; the snapshots of a volumeSnapshot backup) and the Cluster's <c>lastSuccessfulBackup</c> moved on —
/// or <c>failed</c> with its error. A method the Cluster is not configured for fails as the operator fails it. Every
/// status is written through the status subresource, as the operator writes it.
/// </summary>
internal sealed class CloudNativePgOperator(ObjectRequests objects, ObjectStore store, ControllerQueue queue, SimulatedCloudNativePg settings, TimeProvider time) : IObjectObserver
{
    public const string Group = "postgresql.cnpg.io";
    public const string Manager = "cloudnative-pg";
    private readonly Dictionary<string, long> _segments = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Written(ObjectWrite write)
    {
        if (!write.IsCreate || write.Type.Group != Group || write.Type.Plural != "backups")
        {
            return;
        }

        var metadata = write.Object["metadata"]!;
        var (ns, name, uid) = (metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>(), metadata["uid"]!.GetValue<string>());
        queue.AddAfter(TimeSpan.Zero, () => Start(write.Type, ns, name, uid));
        queue.AddAfter(settings.BackupDelay, () => Finish(write.Type, ns, name, uid));
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
    }

    /// <summary>Sets a Cluster's <c>ContinuousArchiving</c> condition as the instance manager reports it; false when there is no such Cluster.</summary>
    public static bool SetContinuousArchiving(ObjectRequests objects, ObjectStore store, TimeProvider time, string ns, string cluster, bool working, string? error)
    {
        if (store.FindType(Group, "clusters") is not { } clusters)
        {
            return false;
        }

        return objects.Change(clusters, ns, cluster, "status", obj =>
        {
            var status = obj["status"] as JsonObject ?? new JsonObject();
            Conditions.Set(status, Conditions.Style.TransitionTime, "ContinuousArchiving", working ? "True" : "False",
                working ? "ContinuousArchivingSuccess" : "ContinuousArchivingFailing", working ? "Continuous archiving is working" : error ?? "unexpected failure invoking barman-cloud-wal-archive: exit status 1",
                Timestamps.Now(time));
            obj["status"] = status;
            return obj;
        }, Manager) is not null;
    }

    private void Start(ResourceType type, string ns, string name, string uid) => objects.Change(type, ns, name, "status", backup =>
    {
        if (!Same(backup, uid) || backup["status"]?["phase"] is not null || Cluster(ns, backup) is not { } cluster)
        {
            return null; // an unknown Cluster: the operator waits for it
        }

        var now = Timestamps.Now(time);
        var method = Method(backup);
        var status = new JsonObject { ["method"] = method, ["reconciliationStartedAt"] = now };
        if (Refusal(cluster, backup, method) is { } refusal)
        {
            status["phase"] = "failed";
            status["error"] = refusal;
            status["reconciliationTerminatedAt"] = now;
        }
        else
        {
            status["phase"] = "running";
            status["startedAt"] = now;
            status["instanceID"] = new JsonObject { ["podName"] = $"{Name(cluster)}-1" };
            status["online"] = true;
        }

        backup["status"] = status;
        return backup;
    }, Manager);

    private void Finish(ResourceType type, string ns, string name, string uid)
    {
        string? finished = null;
        objects.Change(type, ns, name, "status", backup =>
        {
            if (!Same(backup, uid) || backup["status"]?["phase"]?.GetValue<string>() != "running" || Cluster(ns, backup) is not { } cluster)
            {
                return null;
            }

            var status = backup["status"]!.AsObject();
            var now = time.GetUtcNow();
            status["reconciliationTerminatedAt"] = Timestamps.Now(time);
            if (settings.BackupFails?.Invoke(SandboxObject.From(backup)) == true)
            {
                status["phase"] = "failed";
                status["error"] = settings.FailureError;
                finished = "failed";
                return backup;
            }

            Complete(status, cluster, backup, now);
            finished = status["method"]!.GetValue<string>();
            return backup;
        }, Manager);

        if (finished is not null && objects.Read(type, ns, name) is { } done)
        {
            RecordOnCluster(ns, done["spec"]!["cluster"]!["name"]!.GetValue<string>(), finished, done["status"]?["stoppedAt"]?.GetValue<string>());
        }
    }

    /// <summary>The status of a completed backup, as the operator (and Barman, or the plugin) fills it in.</summary>
    private void Complete(JsonObject status, JsonObject cluster, JsonObject backup, DateTimeOffset now)
    {
        var method = status["method"]!.GetValue<string>();
        var segment = NextSegment($"{cluster["metadata"]!["namespace"]}/{Name(cluster)}");
        var started = DateTimeOffset.Parse(status["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        status["phase"] = "completed";
        status["beginWal"] = Wal(segment);
        status["endWal"] = Wal(segment);
        status["beginLSN"] = Lsn(segment, 0x28);
        status["endLSN"] = Lsn(segment, 0x138);
        status["stoppedAt"] = Timestamps.Now(time);
        status["majorVersion"] = 17;
        switch (method)
        {
            case "barmanObjectStore":
                var store = cluster["spec"]!["backup"]!["barmanObjectStore"]!;
                status["backupId"] = started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
                status["backupName"] = "backup-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                status["destinationPath"] = store["destinationPath"]?.DeepClone();
                status["serverName"] = store["serverName"]?.DeepClone() ?? Name(cluster);
                break;
            case "volumeSnapshot":
                status["snapshotBackupStatus"] = new JsonObject
                {
                    ["elements"] = new JsonArray(new JsonObject { ["name"] = backup["metadata"]!["name"]!.DeepClone(), ["type"] = "PG_DATA" }),
                };
                break;
            default:
                status["backupId"] = started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
                status["backupName"] = "backup-" + now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                status["pluginMetadata"] = new JsonObject { ["plugin"] = backup["spec"]?["pluginConfiguration"]?["name"]?.DeepClone() };
                break;
        }
    }

    /// <summary>The Cluster's backup times, as the operator keeps them (not for plugins, whose fields are deprecated).</summary>
    private void RecordOnCluster(string ns, string cluster, string outcome, string? stoppedAt)
    {
        if (outcome == "plugin" || store.FindType(Group, "clusters") is not { } clusters)
        {
            return;
        }

        objects.Change(clusters, ns, cluster, "status", obj =>
        {
            var status = obj["status"] as JsonObject ?? new JsonObject();
            if (outcome == "failed")
            {
                status["lastFailedBackup"] = Timestamps.Now(time);
            }
            else
            {
                status["lastSuccessfulBackup"] = stoppedAt;
                var last = status["lastSuccessfulBackupByMethod"] as JsonObject ?? new JsonObject();
                last[outcome] = stoppedAt;
                status["lastSuccessfulBackupByMethod"] = last;
                var first = status["firstRecoverabilityPointByMethod"] as JsonObject ?? new JsonObject();
                first[outcome] ??= stoppedAt;
                status["firstRecoverabilityPointByMethod"] = first;
                status["firstRecoverabilityPoint"] ??= stoppedAt;
            }

            obj["status"] = status;
            return obj;
        }, Manager);
    }

    private static string? Refusal(JsonObject cluster, JsonObject backup, string method)
    {
        var configured = cluster["spec"]?["backup"];
        return method switch
        {
            "barmanObjectStore" when configured?["barmanObjectStore"] is null => "cannot proceed with the backup as the cluster has no backup section",
            "volumeSnapshot" when configured?["volumeSnapshot"] is null => "cannot execute volume snapshot on a cluster without configuration",
            "plugin" when backup["spec"]?["pluginConfiguration"]?["name"] is null => "cannot proceed with a plugin backup without a pluginConfiguration",
            _ => null,
        };
    }

    private JsonObject? Cluster(string ns, JsonObject backup) =>
        store.FindType(Group, "clusters") is { } clusters && backup["spec"]?["cluster"]?["name"]?.GetValue<string>() is { } name ? objects.Read(clusters, ns, name) : null;

    private static string Method(JsonObject backup) => backup["spec"]?["method"]?.GetValue<string>() ?? "barmanObjectStore";

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    private static bool Same(JsonObject obj, string uid) => obj["metadata"]?["uid"]?.GetValue<string>() == uid;

    /// <summary>A new WAL segment per backup and cluster (a backup forces a switch), from 3 on: a freshly initialised cluster's next.</summary>
    private long NextSegment(string cluster)
    {
        lock (_gate)
        {
            var next = _segments.GetValueOrDefault(cluster, 2) + 1;
            _segments[cluster] = next + 1;
            return next;
        }
    }

    private static string Wal(long segment) => $"00000001{segment / 0x100:X8}{segment % 0x100:X8}";

    private static string Lsn(long segment, long offset) => $"{(segment * 0x1000000 + offset) >> 32:X}/{(segment * 0x1000000 + offset) & 0xFFFFFFFF:X}";
}
