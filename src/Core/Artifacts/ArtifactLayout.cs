using System.Diagnostics.CodeAnalysis;
using System.Text;
using Strata.Core.Kubernetes;

namespace Strata.Core.Artifacts;

/// <summary>
/// The one place that derives storage keys and archive paths. Layout:
/// <code>
/// backups/{cluster}/{policy}/{backupId}/
///   resources.tar.gz                              resources/{group or core}/{version}/{resource}/[namespaces/{ns}/]{name}.json
///   databases/{ns}/{target}/{database}.dump|.sql  database dumps (and globals.sql)
///   applications/{ns}/{name}/{artifact}           application dumps
///   cnpg/{ns}/{cluster}/backup.json               CloudNativePG Backup objects
///   volumes/{ns}/{pvc}.json                       VolumeSnapshot / VolumeSnapshotContent records
///   etcd/snapshot.db                              etcd snapshot (bbolt file + etcd's SHA-256 trailer)
///   control-plane/{node}.tar                      a control-plane node's PKI, static-pod manifests (kubeconfigs)
///   keys/{yyyyMMddTHHmmssZ}-{key}.json            the data key wrapped again by another key (strata key rewrap), one blob per wrapping
///   manifest.sig                                  signature over manifest.json's exact bytes, written just before it
///   manifest.json                                 written last: the commit marker
/// </code>
/// </summary>
public static class ArtifactLayout
{
    /// <summary>File name of the API-object archive.</summary>
    public const string ResourcesArchive = "resources.tar.gz";

    /// <summary>File name of the manifest.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>File name of the manifest's signature.</summary>
    public const string ManifestSignature = "manifest.sig";

    /// <summary>The folder of the wrapped-key sidecars (one per later wrapping of the data key).</summary>
    public const string KeysFolder = "keys/";

    /// <summary>The folder of the application-dumps layer's artifacts.</summary>
    public const string ApplicationsFolder = "applications/";

    /// <summary>The folder of the databases layer's dumps.</summary>
    public const string DatabasesFolder = "databases/";

    /// <summary>The folder of the CloudNativePG layer's records.</summary>
    public const string CloudNativePgFolder = "cnpg/";

    /// <summary>The folder of the volumes layer's snapshot records.</summary>
    public const string VolumesFolder = "volumes/";

    /// <summary>The folder of the etcd layer's snapshot.</summary>
    public const string EtcdFolder = "etcd/";

    /// <summary>Path of the etcd snapshot, as <c>etcdctl snapshot save</c> writes it.</summary>
    public const string EtcdSnapshotPath = EtcdFolder + "snapshot.db";

    /// <summary>The folder of the control-plane files (one tar per node).</summary>
    public const string ControlPlaneFolder = "control-plane/";

    /// <summary>The longest key a store accepts (Blob storage's limit on a blob name).</summary>
    public const int MaxKeyLength = 1024;

    /// <summary>Prefix under which every backup lives.</summary>
    public const string BackupsRoot = "backups/";

    /// <summary>The key prefix (ending in '/') of one backup's artifacts.</summary>
    public static string BackupPrefix(string cluster, string policy, string backupId) =>
        $"{BackupsRoot}{Segment(cluster)}/{Segment(policy)}/{backupId}/";

    /// <summary>
    /// Reads a key back into the backup it belongs to and the artifact's path within it — the inverse of
    /// <see cref="BackupPrefix"/> and <see cref="ArtifactKey"/>. False for a key outside the layout.
    /// </summary>
    public static bool TryParseKey(string key, [NotNullWhen(true)] out BackupArtifactKey? parsed)
    {
        parsed = null;
        if (!key.StartsWith(BackupsRoot, StringComparison.Ordinal))
        {
            return false;
        }

        var segments = key[BackupsRoot.Length..].Split('/', 4);
        if (segments is not [var cluster, var policy, var backupId, var path] || cluster.Length == 0 || policy.Length == 0 || backupId.Length == 0 || path.Length == 0)
        {
            return false;
        }

        parsed = new BackupArtifactKey(cluster, policy, backupId, path);
        return true;
    }

    /// <summary>The key of an artifact of the backup at <paramref name="backupPrefix"/>.</summary>
    public static string ArtifactKey(string backupPrefix, string relativePath) => backupPrefix + relativePath;

    /// <summary>Archive path of one object.</summary>
    public static string ResourcePath(ApiResource resource, string? ns, string name)
    {
        var builder = new StringBuilder("resources/")
            .Append(resource.Group.Length == 0 ? "core" : resource.Group).Append('/')
            .Append(resource.Version).Append('/')
            .Append(resource.Name).Append('/');
        if (ns is not null)
        {
            builder.Append("namespaces/").Append(ns).Append('/');
        }

        return builder.Append(name).Append(".json").ToString();
    }

    /// <summary>
    /// Path of one dump: <c>databases/{namespace}/{target}/{database}{extension}</c>. A database name keeps letters,
    /// digits, '_', '-' and '.'; anything else is percent-encoded, so every name a server allows makes one valid key.
    /// </summary>
    public static string DatabaseDumpPath(string ns, string target, string database, string extension) =>
        $"{DatabasesFolder}{Segment(ns)}/{Segment(target)}/{Escape(database)}{extension}";

    /// <summary>Path of an application dump: <c>applications/{namespace}/{name}/{artifact}</c> (the artifact a file name the configuration checked).</summary>
    public static string ApplicationDumpPath(string ns, string name, string artifact) =>
        $"{ApplicationsFolder}{Segment(ns)}/{Segment(name)}/{artifact}";

    /// <summary>Path of the final <c>Backup</c> object of a CloudNativePG Cluster: <c>cnpg/{namespace}/{cluster}/backup.json</c>.</summary>
    public static string CloudNativePgBackupPath(string ns, string cluster) =>
        $"{CloudNativePgFolder}{Segment(ns)}/{Segment(cluster)}/backup.json";

    /// <summary>Path of a claim's snapshot record: <c>volumes/{namespace}/{claim}.json</c> (namespace and claim names are DNS names, kept as they are).</summary>
    public static string VolumeRecordPath(string ns, string claim) =>
        $"{VolumesFolder}{Segment(ns)}/{Escape(claim)}.json";

    /// <summary>Path of a control-plane node's files: <c>control-plane/{node}.tar</c>.</summary>
    public static string ControlPlaneFilesPath(string node) => $"{ControlPlaneFolder}{Escape(node)}.tar";

    /// <summary>
    /// Path of a wrapped-key sidecar: <c>keys/{yyyyMMddTHHmmssZ}-{first 12 hex of SHA-256(key id)}.json</c>, so each
    /// wrapping is its own write-once blob and they list in the order they were made.
    /// </summary>
    public static string WrappedKeyPath(DateTimeOffset wrappedAt, string keyId) =>
        $"{KeysFolder}{wrappedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(keyId)))[..12]}.json";

    /// <summary>
    /// Checks a storage key before any store touches it: 1–1024 characters, relative, no empty,
    /// <c>.</c> or <c>..</c> segment, no trailing '/'. Every store calls this, so a key one store
    /// takes is a key every store takes.
    /// </summary>
    /// <exception cref="ArgumentException">The key names what is wrong with it.</exception>
    public static string ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var problem = key.Length switch
        {
            0 => "it is empty",
            > MaxKeyLength => $"it is longer than {MaxKeyLength} characters",
            _ when key.StartsWith('/') => "it starts with '/'",
            _ when key.EndsWith('/') => "it ends with '/'",
            _ when key.Contains('\\') => "it contains '\\'",
            _ when key.Split('/').Any(s => s is "" or "." or "..") => "it has an empty, '.' or '..' segment",
            _ => null,
        };
        return problem is null ? key : throw new ArgumentException($"invalid artifact key '{key}': {problem}", nameof(key));
    }

    private static string Escape(string name)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            _ = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (c == '.' && builder.Length > 0) ? builder.Append(c) : builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.Length == 0 ? "%00" : builder.ToString();
    }

    /// <summary>
    /// Makes a cluster or policy name safe as one key segment: lowercase letters, digits, '-', '_'
    /// and '.'; anything else becomes '-'.
    /// </summary>
    public static string Segment(string name)
    {
        var chars = name.Trim().ToLowerInvariant()
            .Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' ? c : '-')
            .ToArray();
        var segment = new string(chars).Trim('.');
        return segment.Length == 0 ? "unnamed" : segment;
    }
}
