using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>What a CloudNativePG <c>Cluster</c>'s spec says about its backups and WAL archive.</summary>
public static class CloudNativePgClusterSpec
{
    /// <summary>
    /// The method a Backup of <paramref name="cluster"/> is asked for with: <paramref name="configured"/> when the policy
    /// names one, else as the Cluster is configured — <c>spec.backup.barmanObjectStore</c>, then
    /// <c>spec.backup.volumeSnapshot</c>, then the enabled <c>spec.plugins</c> entry with <c>isWALArchiver</c>.
    /// </summary>
    public static CloudNativePgMethodChoice BackupMethod(KubeObject cluster, CloudNativePgMethod? configured)
    {
        var backup = (cluster.Json["spec"] as JsonObject)?["backup"] as JsonObject;
        var plugin = WalArchiverPlugin(cluster);
        var method = configured
            ?? (backup?["barmanObjectStore"] is JsonObject ? CloudNativePgMethod.BarmanObjectStore
                : backup?["volumeSnapshot"] is JsonObject ? CloudNativePgMethod.VolumeSnapshot
                : plugin is not null ? CloudNativePgMethod.Plugin
                : null);
        return method switch
        {
            null => new(null, null, $"Cluster {cluster.Key} has no backup configured (spec.backup.barmanObjectStore, spec.backup.volumeSnapshot, or a spec.plugins entry with isWALArchiver)"),
            CloudNativePgMethod.Plugin when plugin is null => new(null, null, $"method plugin: Cluster {cluster.Key} has no enabled spec.plugins entry with isWALArchiver: true to take the backup"),
            CloudNativePgMethod.Plugin => new(method, plugin, null),
            _ => new(method, null, null),
        };
    }

    /// <summary>The name of the Cluster's enabled WAL-archiver plugin, or null.</summary>
    public static string? WalArchiverPlugin(KubeObject cluster) =>
        ((cluster.Json["spec"] as JsonObject)?["plugins"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(p => Bool(p["isWALArchiver"]) == true && Bool(p["enabled"]) != false)?["name"]?.GetValue<string>();

    /// <summary>Whether the Cluster archives its WAL: Barman Cloud in its spec, or a WAL-archiver plugin.</summary>
    public static bool ArchivesWal(KubeObject cluster) =>
        (cluster.Json["spec"] as JsonObject)?["backup"]?["barmanObjectStore"] is JsonObject || WalArchiverPlugin(cluster) is not null;

    private static bool? Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) ? b : null;
}
