using Strata.Core.Encryption;
using Strata.Core.Ports;

namespace Strata.Core.Artifacts;

/// <summary>
/// A backup whose manifest was read and whose signature was checked (<see cref="BackupOpening"/>), with a view of its
/// artifacts that decrypts what was encrypted whole. Disposing it zeroes the data key.
/// </summary>
public sealed class OpenedBackup : IDisposable
{
    /// <summary>Creates it.</summary>
    /// <param name="prefix">The backup's key prefix.</param>
    /// <param name="manifest">The manifest, as read.</param>
    /// <param name="signature">What its signature says.</param>
    /// <param name="artifacts">The store, or a decrypting view of it (<see cref="BackupCipherStore"/>) when encrypted.</param>
    /// <param name="dataKey">The unwrapped data key; null when nothing is encrypted.</param>
    public OpenedBackup(string prefix, BackupManifest manifest, SignatureCheck signature, IArtifactStore artifacts, DataKey? dataKey)
    {
        Prefix = prefix;
        Manifest = manifest;
        Signature = signature;
        Artifacts = artifacts;
        DataKey = dataKey;
    }

    /// <summary>The backup's key prefix.</summary>
    public string Prefix { get; }

    /// <summary>The manifest.</summary>
    public BackupManifest Manifest { get; }

    /// <summary>What the manifest's signature says (never <see cref="SignatureState.Invalid"/>: such a backup is not opened).</summary>
    public SignatureCheck Signature { get; }

    /// <summary>The artifacts: read through this, an encrypted artifact reads as its plaintext.</summary>
    public IArtifactStore Artifacts { get; }

    /// <summary>The data key; null when the backup is not encrypted.</summary>
    public DataKey? DataKey { get; }

    /// <summary>The manifest's exact bytes, as stored (what its signature covers).</summary>
    public ReadOnlyMemory<byte> ManifestBytes { get; init; }

    /// <summary>Whether Secret values in the object archive are encrypted (and so must be decrypted with <see cref="DataKey"/>).</summary>
    public bool SecretValuesEncrypted => Manifest.Encryption?.SecretValues == true && DataKey is not null;

    /// <inheritdoc />
    public void Dispose() => DataKey?.Dispose();
}
