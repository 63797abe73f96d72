using System.Text;
using Strata.Adapters.Encryption;
using Strata.Adapters.KeyVault;
using Strata.TestKit;
using Strata.TestKit.KeyVault;

namespace Strata.Adapters.Tests.Encryption;

/// <summary>Manifest signatures with Key Vault keys: ES256 (EC P-256) and RS256 (RSA), checked locally.</summary>
public sealed class KeyVaultManifestSignerTests : IAsyncLifetime
{
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""{"apiVersion":"strata/v1","kind":"BackupManifest","name":"nightly-20261130"}""");
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private KeyVaultManifestSigner Signer(string name = "signing", string? version = null) =>
        new(_vault.Reference(name, version), _vault.Client(), new ManualClock(Now));

    private static byte[] Tampered()
    {
        var bytes = (byte[])Manifest.Clone();
        bytes[^3] ^= 1;
        return bytes;
    }

    [Theory]
    [InlineData(true, "ES256", 64)]
    [InlineData(false, "RS256", 256)]
    public async Task SignAsync_ThenVerifyAsync_TrueForTheBytesFalseForTampered(bool ec, string algorithm, int length)
    {
        var kid = ec ? _vault.CreateEcKey("signing") : _vault.CreateRsaKey("signing");
        var signer = Signer();

        var signature = await signer.SignAsync(Manifest);

        Assert.Equal((algorithm, kid, Now), (signature.Algorithm, signature.KeyId, signature.SignedAt));
        Assert.Equal(length, Convert.FromBase64String(signature.Value).Length);
        Assert.True(await signer.VerifyAsync(Manifest, signature));
        Assert.False(await signer.VerifyAsync(Tampered(), signature));
        var flipped = Convert.FromBase64String(signature.Value);
        flipped[5] ^= 1;
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Value = Convert.ToBase64String(flipped) }));
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Value = "not base64!" }));
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Algorithm = ec ? "RS256" : "ES256" }));
    }

    [Fact]
    public async Task VerifyAsync_ByAnotherSigner_TrueWithAFreshInstance()
    {
        _vault.CreateEcKey("signing");
        var signature = await Signer().SignAsync(Manifest);

        Assert.True(await Signer().VerifyAsync(Manifest, signature));
    }

    [Fact]
    public async Task SignAsync_Twice_KeyTypeReadOnceAndDigestSigned()
    {
        _vault.CreateEcKey("signing");
        var signer = Signer();

        await signer.SignAsync(Manifest);
        await signer.SignAsync(Manifest);

        Assert.Equal(["GET /keys/signing", "POST /keys/signing/sign", "POST /keys/signing/sign"], _vault.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(43, ((string)_vault.Requests[1].Json!["value"]!).Length);
    }

    [Fact]
    public async Task VerifyAsync_AfterRotation_OldSignatureCheckedWithItsVersionPublicKeyFetchedOnce()
    {
        var first = _vault.CreateEcKey("signing");
        var signer = Signer();
        var old = await signer.SignAsync(Manifest);
        var second = _vault.RotateKey("signing");
        var verifier = Signer();

        var newer = await verifier.SignAsync(Manifest);
        Assert.True(await verifier.VerifyAsync(Manifest, old));
        Assert.True(await verifier.VerifyAsync(Manifest, old));
        Assert.True(await verifier.VerifyAsync(Manifest, newer));

        Assert.Equal((first, second), (old.KeyId, newer.KeyId));
        Assert.Single(_vault.Requests, r => r.Method == "GET" && r.Path == new Uri(first).AbsolutePath);
        Assert.DoesNotContain(_vault.Requests, r => r.Method == "GET" && r.Path == new Uri(second).AbsolutePath);
    }

    [Fact]
    public async Task VerifyAsync_SignedByAnotherKey_Null()
    {
        _vault.CreateEcKey("signing");
        _vault.CreateEcKey("other");
        var other = await Signer("other").SignAsync(Manifest);
        var hmac = await HmacManifestSigner.FromBytes(new byte[32]).SignAsync(Manifest);
        var signer = Signer();

        Assert.Null(await signer.VerifyAsync(Manifest, other));
        Assert.Null(await signer.VerifyAsync(Manifest, hmac));
        Assert.Null(await signer.VerifyAsync(Manifest, other with { KeyId = other.KeyId.Replace("127.0.0.1", "localhost", StringComparison.Ordinal).Replace("/other/", "/signing/", StringComparison.Ordinal) }));
    }

    [Fact]
    public async Task VerifyAsync_PinnedVersion_OtherVersionIsNotItsToJudge()
    {
        var first = _vault.CreateEcKey("signing");
        var pinned = Signer(version: KeyVaultKeyId.Parse(first).Version);
        var signature = await pinned.SignAsync(Manifest);
        _vault.RotateKey("signing");
        var newer = await Signer().SignAsync(Manifest);

        Assert.Equal(first, signature.KeyId);
        Assert.True(await pinned.VerifyAsync(Manifest, signature));
        Assert.Null(await pinned.VerifyAsync(Manifest, newer));
    }

    [Fact]
    public async Task VerifyAsync_SigningVersionGone_Null()
    {
        _vault.CreateEcKey("signing");
        var signature = await Signer().SignAsync(Manifest);
        var missing = signature with { KeyId = KeyVaultKeyId.Parse(signature.KeyId).WithVersion("0123456789abcdef0123456789abcdef").ToString() };

        Assert.Null(await Signer().VerifyAsync(Manifest, missing));
    }

    [Fact]
    public async Task SignAsync_Forbidden_NamesTheRole()
    {
        _vault.CreateEcKey("signing");
        _vault.Forbid("signing");

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => Signer().SignAsync(Manifest));

        Assert.Equal(403, e.Status);
        Assert.Contains("'Key Vault Crypto User'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_KeyOnAnotherCurve_RefusedNamingItsTypeWithoutSigning()
    {
        _vault.CreateEcKey("signing", "P-384");

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => Signer().SignAsync(Manifest));

        Assert.Contains("EC P-384, not EC P-256 (ES256) or RSA (RS256)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_vault.Requests, r => r.Path.EndsWith("/sign", StringComparison.Ordinal));
    }

    [Fact]
    public void Name_TheConfiguredReference()
    {
        var signer = new KeyVaultManifestSigner(new("strata-kv", "strata-signing"), new KeyVaultKeys(FakeKeyVault.Credential));

        Assert.Equal("keyVault:strata-kv/strata-signing", signer.Name);
    }
}
