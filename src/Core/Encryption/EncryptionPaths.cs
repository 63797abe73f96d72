namespace Strata.Core.Encryption;

/// <summary>Which artifacts of a backup are stored whole in <see cref="ChunkedFormat"/>, by path, with the reason for each.</summary>
public static class EncryptionPaths
{
    // Folder (or file) of the backup, from which mode on it is encrypted (null: never), and why.
    private static readonly (string Path, EncryptionMode? From, string Reason)[] Rules =
    [
        ("control-plane/", EncryptionMode.Secrets, "a node's PKI private keys and kubeconfigs: as secret as any Secret, so encrypted whenever encryption is on"),
        ("etcd/", EncryptionMode.Secrets, "the etcd snapshot holds every Secret of the cluster in plaintext: encrypted whenever Secret values are, or they would sit readable beside their encrypted copies"),
        ("databases/", EncryptionMode.All, "database dumps hold the application's data"),
        ("applications/", EncryptionMode.All, "application dumps hold the application's data"),
        ("resources.tar.gz", null, "objects stay readable for inspection and restore planning; Secret values inside are encrypted one by one"),
        ("volumes/", null, "records of snapshots taken by the storage provider: names and ids, no data"),
        ("cnpg/", null, "CloudNativePG Backup objects: where the provider stored its backup, no data"),
        ("keys/", null, "wrapped data keys: read before the data key is known"),
        ("manifest.sig", null, "checked before the data key is unwrapped"),
        ("manifest.json", null, "the commit marker: read to find the wrapped data keys"),
    ];

    /// <summary>Whether an artifact at a path relative to the backup is encrypted whole under <paramref name="mode"/>.</summary>
    public static Func<string, bool> For(EncryptionMode mode) =>
        path => Rules.FirstOrDefault(r => path.StartsWith(r.Path, StringComparison.Ordinal)) is { Path: not null, From: { } from } && mode >= from;

    /// <summary>Why the artifact at <paramref name="path"/> is or is not encrypted whole (for documentation and errors).</summary>
    public static string Reason(string path) =>
        Rules.FirstOrDefault(r => path.StartsWith(r.Path, StringComparison.Ordinal)) is { Path: not null } rule ? rule.Reason : "not a path Strata encrypts";
}
