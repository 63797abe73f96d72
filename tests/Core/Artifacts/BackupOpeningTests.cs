using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Encryption;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Core.Serialization;
using Strata.TestKit;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Artifacts;

/// <summary>
/// <see cref="BackupOpening"/> with encrypting captures (<see cref="BackupCapture"/> with a keyring): the signature
/// checked before anything else, the data key unwrapped from the manifest's wrappings or a sidecar's, the keys that
/// match tried first, and one error naming what is there and what was tried.
/// </summary>
public sealed class BackupOpeningTests
{
    private static readonly ApiResource Secrets = RecordingCluster.BuiltIn.Single(r => r.Name == "secrets");
    private static readonly ApiResource Namespaces = RecordingCluster.BuiltIn.Single(r => r.Name == "namespaces");

    private readonly MemoryArtifactStore _store = new();
    private readonly LocalAesKeyEncryptionKey _kek = LocalAesKeyEncryptionKey.FromBytes("local", RandomNumberGenerator.GetBytes(32));
    private readonly HmacManifestSigner _signer = HmacManifestSigner.FromBytes(RandomNumberGenerator.GetBytes(32));

    private async Task<BackupOutcome> CaptureAsync(Keyring keyring, EncryptionMode mode)
    {
        var cluster = new RecordingCluster();
        await cluster.CreateAsync(Namespaces, null, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "shop" } });
        await cluster.CreateAsync(Secrets, "shop", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "db", ["namespace"] = "shop" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("hunter2-canary")) },
        });
        return await new BackupCapture(cluster, _store, new MemoryRunHistory(), TimeProvider.System, new BackupCaptureOptions { Keyring = keyring, Ids = new SequentialIdSource() })
            .RunAsync(new BackupRequest("prod", new BackupScope()) { Encrypt = mode });
    }

    private string Prefix(BackupOutcome outcome) => outcome.Record.Location;

    [Fact]
    public async Task OpenAsync_EncryptedAndSigned_IsValid_AndDecryptsSecretValues()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], _signer), EncryptionMode.Secrets);

        using var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], _signer), requireSignature: true);

        Assert.NotNull(opened);
        Assert.Equal(SignatureState.Valid, opened.Signature.State);
        Assert.True(opened.SecretValuesEncrypted);
        var wrapped = Assert.Single(opened.Manifest.Encryption!.WrappedKeys);
        Assert.Equal(("local", KeyWrapAlgorithms.Aes256Gcm), (wrapped.Name, wrapped.Algorithm));
        Assert.DoesNotContain(_store.Artifacts.Values, bytes => bytes.AsSpan().IndexOf("hunter2-canary"u8) >= 0);
        var entry = ArchiveReader.Read(new MemoryStream(_store.Artifacts[ArtifactLayout.ArtifactKey(Prefix(outcome), ArtifactLayout.ResourcesArchive)]))
            .Single(e => e.Key.Contains("/secrets/", StringComparison.Ordinal));
        var secret = new KubeObject(entry.Value);
        Assert.StartsWith(SecretValueCipher.Prefix, secret.Json["data"]!["password"]!.GetValue<string>(), StringComparison.Ordinal);
        SecretValues.DecryptInPlace(secret, entry.Key, opened.DataKey!);
        Assert.Equal("hunter2-canary", Encoding.UTF8.GetString(Convert.FromBase64String(secret.Json["data"]!["password"]!.GetValue<string>())));
    }

    [Fact]
    public async Task OpenAsync_ManifestChangedAfterSigning_IsRefusedBeforeAnyKeyIsTried()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], _signer), EncryptionMode.Secrets);
        var key = ArtifactLayout.ArtifactKey(Prefix(outcome), ArtifactLayout.Manifest);
        var manifest = JsonNode.Parse(_store.Artifacts[key])!;
        manifest["counts"]!["total"] = 99;
        _store.Artifacts[key] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var unused = new RecordingKey("unused");

        var error = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([unused], _signer), requireSignature: false));

        Assert.Equal(BackupTrustReason.InvalidSignature, error.Reason);
        Assert.Contains($"backup {outcome.Record.Id}", error.Message);
        Assert.Contains(_signer.Name, error.Message);
        Assert.Equal(0, unused.Unwraps);
    }

    [Fact]
    public async Task OpenAsync_UnsignedWhenASignatureIsRequired_IsRefused_ElseReportedUnsigned()
    {
        var outcome = await CaptureAsync(Keyring.None, EncryptionMode.None);

        var error = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([], _signer), requireSignature: true));
        using var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([], _signer), requireSignature: false);

        Assert.Equal(BackupTrustReason.NotSigned, error.Reason);
        Assert.Equal(SignatureState.Unsigned, opened!.Signature.State);
        Assert.Null(opened.DataKey);
        Assert.Same(_store, opened.Artifacts);
    }

    [Fact]
    public async Task OpenAsync_NoKeyUnwraps_NamesTheKeyIdsPresentAndTheKeysTried()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], null), EncryptionMode.Secrets);
        var other = LocalAesKeyEncryptionKey.FromBytes("other", RandomNumberGenerator.GetBytes(32));

        var error = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([other], null), requireSignature: false));

        Assert.Equal(BackupTrustReason.NoKeyUnwraps, error.Reason);
        Assert.Contains($"Wrapped for: {await _kek.GetKeyIdAsync()} (local)", error.Message);
        Assert.Contains("Tried: other on local:aes:", error.Message);
    }

    [Fact]
    public async Task OpenAsync_KeysThatMatchAreTriedFirst_AndASidecarsWrappingUnwraps()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], null), EncryptionMode.Secrets);
        var rotated = LocalAesKeyEncryptionKey.FromBytes("rotated", RandomNumberGenerator.GetBytes(32));
        using (var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], null), requireSignature: false))
        {
            var wrapped = await rotated.WrapAsync(opened!.DataKey!);
            var sidecar = ArtifactLayout.ArtifactKey(Prefix(outcome), ArtifactLayout.WrappedKeyPath(DateTimeOffset.UtcNow, wrapped.KeyId));
            _store.Artifacts[sidecar] = JsonSerializer.SerializeToUtf8Bytes(wrapped, StrataJson.Default.WrappedKey);
        }

        var first = new RecordingKey("never-matches");
        using var reopened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([first, rotated], null), requireSignature: false);

        Assert.NotNull(reopened!.DataKey);
        Assert.Equal(0, first.Unwraps);
    }

    [Fact]
    public async Task OpenAsync_ManifestWithNoWrappedKey_IsRefusedNamingNone()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], null), EncryptionMode.Secrets);
        var key = ArtifactLayout.ArtifactKey(Prefix(outcome), ArtifactLayout.Manifest);
        var manifest = JsonNode.Parse(_store.Artifacts[key])!;
        manifest["encryption"]!["wrappedKeys"] = new JsonArray();
        _store.Artifacts[key] = Encoding.UTF8.GetBytes(manifest.ToJsonString());

        var error = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], null), requireSignature: false));

        Assert.Equal(BackupTrustReason.NoKeyUnwraps, error.Reason);
        Assert.Contains($"backup {outcome.Record.Id} is encrypted, and no key unwraps its data key", error.Message);
        Assert.Contains("Wrapped for: none", error.Message);
        Assert.Contains("Tried: local: no wrapping to try", error.Message);
    }

    [Fact]
    public async Task OpenAsync_RewrapSidecarDeletedAfterTheOldKeyIsGone_IsRefusedNamingTheOldKeyAndTheNewKeyTried()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], _signer), EncryptionMode.Secrets);
        var rotated = LocalAesKeyEncryptionKey.FromBytes("rotated", RandomNumberGenerator.GetBytes(32));
        string sidecar;
        using (var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], _signer), requireSignature: true))
        {
            var wrapped = await rotated.WrapAsync(opened!.DataKey!);
            sidecar = ArtifactLayout.ArtifactKey(Prefix(outcome), ArtifactLayout.WrappedKeyPath(DateTimeOffset.UtcNow, wrapped.KeyId));
            _store.Artifacts[sidecar] = JsonSerializer.SerializeToUtf8Bytes(wrapped, StrataJson.Default.WrappedKey);
        }

        // The old key is destroyed: only the sidecar's wrapping lets the new key in.
        using (var rotatedOnly = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([rotated], _signer), requireSignature: true))
        {
            Assert.NotNull(rotatedOnly!.DataKey);
        }

        Assert.True(_store.Artifacts.Remove(sidecar));
        var error = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([rotated], _signer), requireSignature: true));

        Assert.Equal(BackupTrustReason.NoKeyUnwraps, error.Reason);
        Assert.Contains($"Wrapped for: {await _kek.GetKeyIdAsync()} (local).", error.Message);
        Assert.Contains($"Tried: rotated on {await _kek.GetKeyIdAsync()}: key 'rotated'", error.Message);
        Assert.Contains("did not wrap this data key", error.Message);
    }

    [Fact]
    public async Task Capture_Signed_RecordsTheSigningKeyIdAndTheKeyCheck()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], _signer), EncryptionMode.Secrets);

        using var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], _signer), requireSignature: true);

        Assert.Equal(opened!.Signature.Signature!.KeyId, outcome.Record.SignedBy);
        Assert.StartsWith("local:hmac:", outcome.Record.SignedBy, StringComparison.Ordinal);
        Assert.True(KeyCheckValue.Matches(opened.DataKey!, opened.Manifest.Encryption!.KeyCheck!));
    }

    [Fact]
    public async Task OpenAsync_PlantedSidecarWrappingAnotherKey_IsPassedOver_AndTheRealKeyOpens()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], _signer), EncryptionMode.Secrets);
        var planter = LocalAesKeyEncryptionKey.FromBytes("planter", RandomNumberGenerator.GetBytes(32));
        using var chosen = DataKey.Create();
        var planted = await planter.WrapAsync(chosen);
        _store.Artifacts[ArtifactLayout.ArtifactKey(Prefix(outcome), ArtifactLayout.WrappedKeyPath(DateTimeOffset.UtcNow, planted.KeyId))] =
            JsonSerializer.SerializeToUtf8Bytes(planted, StrataJson.Default.WrappedKey);

        using var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([planter, _kek], _signer), requireSignature: true);
        var refused = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([planter], _signer), requireSignature: true));

        Assert.False(opened!.DataKey!.Bytes.SequenceEqual(chosen.Bytes));
        Assert.True(KeyCheckValue.Matches(opened.DataKey, opened.Manifest.Encryption!.KeyCheck!));
        Assert.Equal(BackupTrustReason.NoKeyUnwraps, refused.Reason);
        Assert.Contains($"planter on {planted.KeyId}", refused.Message);
        Assert.Contains("fails the manifest's key check", refused.Message);
    }

    [Fact]
    public async Task OpenAsync_SignerFails_IsUnverifiable_RefusedWhenASignatureIsRequired()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], _signer), EncryptionMode.Secrets);
        var failing = new FailingSigner(new CryptographicException("the vault is down"));

        var refused = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], failing), requireSignature: true));
        using var opened = await BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], failing), requireSignature: false);

        Assert.Equal(BackupTrustReason.NotSigned, refused.Reason);
        Assert.Contains("could not be checked", refused.Message);
        Assert.Contains("the vault is down", refused.Message);
        Assert.Contains("--allow-unsigned", refused.Message);
        Assert.Equal(SignatureState.Unverifiable, opened!.Signature.State);
    }

    [Fact]
    public async Task OpenAsync_SignedByAnotherKey_IsRefusedWhenASignatureIsRequired()
    {
        var outcome = await CaptureAsync(new Keyring([_kek], HmacManifestSigner.FromBytes(RandomNumberGenerator.GetBytes(32))), EncryptionMode.Secrets);

        var refused = await Assert.ThrowsAsync<BackupTrustException>(() => BackupOpening.OpenAsync(_store, Prefix(outcome), new Keyring([_kek], _signer), requireSignature: true));

        Assert.Equal(BackupTrustReason.NotSigned, refused.Reason);
        Assert.Contains(outcome.Record.SignedBy!, refused.Message);
    }

    [Fact]
    public async Task Capture_KeyThatFailsToWrap_FailsTheRunBeforeAnythingIsWritten()
    {
        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => CaptureAsync(new Keyring([new RecordingKey("broken")], null), EncryptionMode.All));

        Assert.Contains("broken", error.Message);
        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task Capture_SignerThatCannotSign_FailsTheRunBeforeAnythingIsWritten()
    {
        await Assert.ThrowsAsync<CryptographicException>(() => CaptureAsync(new Keyring([_kek], new FailingSigner(new CryptographicException("no secret"))), EncryptionMode.All));

        Assert.Empty(_store.Artifacts);
    }

    [Fact]
    public async Task Capture_EncryptWithoutAnyKey_FailsTheRunBeforeAnythingIsWritten()
    {
        await Assert.ThrowsAsync<KeyUnwrapException>(() => CaptureAsync(Keyring.None, EncryptionMode.Secrets));

        Assert.Empty(_store.Artifacts);
    }

    /// <summary>A signer whose checks fail as an adapter's would (a Key Vault outage, a secret that cannot be read).</summary>
    private sealed class FailingSigner(Exception failure) : IManifestSigner
    {
        public string Name => "failing";

        public Task<ManifestSignature> SignAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default) => Task.FromException<ManifestSignature>(failure);

        public Task<bool?> VerifyAsync(ReadOnlyMemory<byte> manifest, ManifestSignature signature, CancellationToken cancellationToken = default) => Task.FromException<bool?>(failure);
    }

    /// <summary>A key that matches nothing, fails to wrap, and counts the unwraps asked of it.</summary>
    private sealed class RecordingKey(string name) : IKeyEncryptionKey
    {
        public int Unwraps { get; private set; }

        public string Name => name;

        public bool CanWrap => true;

        public bool CanUnwrap => true;

        public Task<WrappedKey> WrapAsync(DataKey dataKey, CancellationToken cancellationToken = default) =>
            Task.FromException<WrappedKey>(new KeyUnwrapException($"key '{name}' is unavailable"));

        public bool Matches(WrappedKey wrapped) => false;

        public Task<DataKey> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
        {
            Unwraps++;
            return Task.FromException<DataKey>(new KeyUnwrapException($"key '{name}' is not the one"));
        }
    }
}
