using System.Text;
using Strata.Adapters.Encryption;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Encryption;

namespace Strata.Adapters.Tests.Encryption;

/// <summary>HS256 manifest signatures with a local key; expected values computed independently (Python's hmac and hashlib).</summary>
public sealed class HmacManifestSignerTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("""{"apiVersion":"strata/v1"}""");
    private static readonly SecretReference Reference = new(SecretSource.Environment, "STRATA_SIGNING_KEY");
    private readonly Dictionary<string, string> _variables = [];
    private int _resolved;

    private HmacManifestSigner FromSecret() => new(Reference, new SecretResolver(name =>
    {
        _resolved++;
        return _variables.GetValueOrDefault(name);
    }));

    [Fact]
    public async Task SignAsync_KnownKey_KnownSignatureAndKeyId()
    {
        var signature = await HmacManifestSigner.FromBytes(Key).SignAsync(Manifest);

        Assert.Equal("HS256", signature.Algorithm);
        Assert.Equal("local:hmac:1320bce5e702ebd7", signature.KeyId);
        Assert.Equal("WIQOk2tm1hhFhYFysUVsz1irYGkH32f4E3gHZoRxXNg=", signature.Value);
        Assert.Equal("local:hmac:1320bce5e702ebd7", HmacManifestSigner.KeyIdOf(Key));
    }

    [Fact]
    public async Task VerifyAsync_SignedBytes_TrueTamperedFalse()
    {
        var signer = HmacManifestSigner.FromBytes(Key);
        var signature = await signer.SignAsync(Manifest);
        var tampered = (byte[])Manifest.Clone();
        tampered[3] ^= 1;
        var flipped = Convert.FromBase64String(signature.Value);
        flipped[0] ^= 1;

        Assert.True(await signer.VerifyAsync(Manifest, signature));
        Assert.False(await signer.VerifyAsync(tampered, signature));
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Value = Convert.ToBase64String(flipped) }));
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Value = Convert.ToBase64String(flipped[..16]) }));
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Value = "%%%" }));
        Assert.False(await signer.VerifyAsync(Manifest, signature with { Algorithm = "ES256" }));
    }

    [Fact]
    public async Task VerifyAsync_AnotherKey_Null()
    {
        var other = await HmacManifestSigner.FromBytes(new byte[32]).SignAsync(Manifest);

        Assert.Null(await HmacManifestSigner.FromBytes(Key).VerifyAsync(Manifest, other));
        Assert.Null(await HmacManifestSigner.FromBytes(Key).VerifyAsync(Manifest, new ManifestSignature("ES256", "https://kv.vault.azure.net/keys/k/v", "AAAA")));
    }

    [Fact]
    public async Task SignAsync_KeyFromSecret_ResolvedOnFirstUseOnly()
    {
        var signer = FromSecret();
        _variables["STRATA_SIGNING_KEY"] = Convert.ToBase64String(Key);
        Assert.Equal(0, _resolved);

        var signature = await signer.SignAsync(Manifest);

        Assert.Equal("local:hmac:1320bce5e702ebd7", signature.KeyId);
        Assert.True(await signer.VerifyAsync(Manifest, signature));
        Assert.True(await HmacManifestSigner.FromBytes(Key).VerifyAsync(Manifest, signature));
        Assert.Equal(1, _resolved);
        Assert.Equal("env:STRATA_SIGNING_KEY", signer.Name);
    }

    [Theory]
    [InlineData("c2hvcnQta2V5")]
    [InlineData("not base64 at all, but long enough to be 32 bytes")]
    public async Task SignAsync_ValueNotBase64Of32Bytes_NamesTheReferenceNotTheValue(string value)
    {
        _variables["STRATA_SIGNING_KEY"] = value;

        var e = await Assert.ThrowsAsync<SecretUnavailableException>(() => FromSecret().SignAsync(Manifest));

        Assert.Contains("env:STRATA_SIGNING_KEY", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 32 bytes", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_SecretNotSet_ResolverErrorAndRetriedNextTime()
    {
        var signer = FromSecret();

        await Assert.ThrowsAsync<SecretUnavailableException>(() => signer.SignAsync(Manifest));
        _variables["STRATA_SIGNING_KEY"] = Convert.ToBase64String(Key);
        var signature = await signer.SignAsync(Manifest);

        Assert.Equal("local:hmac:1320bce5e702ebd7", signature.KeyId);
    }

    [Fact]
    public void FromBytes_ShortKey_Refused() =>
        Assert.Throws<ArgumentException>(() => HmacManifestSigner.FromBytes(new byte[31]));
}
