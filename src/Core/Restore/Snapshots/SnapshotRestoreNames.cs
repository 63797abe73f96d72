using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Restore.Snapshots;

/// <summary>
/// The names, labels and annotations of what a restore creates to restore claims from snapshots, derived from the
/// restore id and the claim: a replay of the same restore finds its own objects, and a drill's clean-up finds them by label.
/// </summary>
public static class SnapshotRestoreNames
{
    /// <summary>The longest name the API accepts for these objects (a DNS subdomain).</summary>
    public const int MaxNameLength = 253;

    /// <summary>On each created object: which backup, and which snapshot of which claim, it restores.</summary>
    public const string RestoredFromAnnotation = "strata.dev/restored-from";

    /// <summary>
    /// The pre-provisioned VolumeSnapshotContent for <paramref name="claim"/> restored into <paramref name="targetNamespace"/>:
    /// <c>strata-{restoreId}-{namespace}.{claim}</c>. The dot keeps two claims apart (a namespace has none).
    /// </summary>
    public static string Content(string restoreId, string targetNamespace, string claim) => Fit($"strata-{restoreId}-{targetNamespace}.{claim}");

    /// <summary>The VolumeSnapshot bound to it, in the target namespace: <c>strata-{restoreId}-{claim}</c>.</summary>
    public static string Snapshot(string restoreId, string claim) => Fit($"strata-{restoreId}-{claim}");

    /// <summary>The ConfigMap holding a PostgreSQL volume's <c>backup_label</c> (and <c>tablespace_map</c>): <c>{claim}-backup-label</c>.</summary>
    public static string BackupLabelConfigMap(string claim) => Fit($"{claim}-backup-label");

    /// <summary><see cref="StrataLabels.RestoreId"/>'s value: the id itself when it is a valid label value, else a digest of it.</summary>
    public static string RestoreIdLabel(string restoreId) =>
        restoreId.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(restoreId[0]) && char.IsAsciiLetterOrDigit(restoreId[^1])
        && restoreId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? restoreId
            : "h-" + Digest(restoreId, 20);

    /// <summary>The labels of every object a restore creates for a claim.</summary>
    public static JsonObject Labels(string restoreId) => new()
    {
        [StrataLabels.RestoreId] = RestoreIdLabel(restoreId),
        [StrataLabels.ManagedBy] = StrataLabels.Manager,
    };

    /// <summary>The label selector that finds them.</summary>
    public static string Selector(string restoreId) => $"{StrataLabels.RestoreId}={RestoreIdLabel(restoreId)},{StrataLabels.ManagedBy}={StrataLabels.Manager}";

    /// <summary>A name cut to <see cref="MaxNameLength"/>, ending in a digest of the whole so that cut names stay apart.</summary>
    private static string Fit(string name)
    {
        if (name.Length <= MaxNameLength)
        {
            return name;
        }

        var digest = Digest(name, 10);
        return name[..(MaxNameLength - digest.Length - 1)].TrimEnd('-', '.') + "-" + digest;
    }

    private static string Digest(string text, int length) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
