using System.Buffers.Text;
using System.Security.Cryptography;
using Azure.Core;
using Strata.Adapters.KeyVault;
using Strata.TestKit;
using Strata.TestKit.KeyVault;

namespace Strata.Adapters.Tests.KeyVault;

/// <summary>
/// The REST calls as the Key Vault keys reference documents them (https://learn.microsoft.com/rest/api/keyvault/keys/:
/// wrap-key, unwrap-key, sign, get-key; errors as KeyVaultError; tokens for https://vault.azure.net/.default and the
/// 401 challenge, https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses), checked
/// at a recording HTTPS fake with real keys.
/// </summary>
public sealed class KeyVaultKeysTests : IAsyncLifetime
{
    private static readonly byte[] Plain = RandomNumberGenerator.GetBytes(32);
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task WrapKeyAsync_UnversionedKey_PostsDocumentedRequestAndAnswersVersionedKid()
    {
        var kid = _vault.CreateRsaKey("kek");

        var result = await _vault.Client().WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);

        Assert.Equal(kid, result.KeyId);
        Assert.Equal(256, result.Value.Length);
        var request = Assert.Single(_vault.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/keys/kek/wrapkey", request.Path);
        Assert.Equal(KeyVaultKeysOptions.DefaultApiVersion, request.ApiVersion);
        Assert.Equal(FakeVaultCredential.TokenFor(null, [KeyVaultKeys.Scope]), request.BearerToken);
        Assert.Equal("https://vault.azure.net/.default", KeyVaultKeys.Scope);
        var body = request.Json!;
        Assert.Equal(["alg", "value"], body.Select(p => p.Key).Order());
        Assert.Equal("RSA-OAEP-256", (string?)body["alg"]);
        Assert.Equal(Base64Url.EncodeToString(Plain), (string?)body["value"]);
        Assert.DoesNotContain('=', (string)body["value"]!);
    }

    [Fact]
    public async Task UnwrapKeyAsync_VersionedKid_PostsToThatVersionAndRoundTrips()
    {
        _vault.CreateRsaKey("kek");
        var client = _vault.Client();
        var wrapped = await client.WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);

        var unwrapped = await client.UnwrapKeyAsync(KeyVaultKeyId.Parse(wrapped.KeyId), "RSA-OAEP-256", wrapped.Value);

        Assert.Equal(Plain, unwrapped.Value);
        Assert.Equal(wrapped.KeyId, unwrapped.KeyId);
        var request = _vault.Requests[^1];
        Assert.Equal($"/keys/kek/{_vault.CurrentVersion("kek")}/unwrapkey", request.Path);
        Assert.Equal(Base64Url.EncodeToString(wrapped.Value), (string?)request.Json!["value"]);
    }

    [Fact]
    public async Task UnwrapKeyAsync_OldVersionAfterRotation_StillUnwraps()
    {
        _vault.CreateRsaKey("kek");
        var client = _vault.Client();
        var wrapped = await client.WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);
        var rotated = _vault.RotateKey("kek");

        var unwrapped = await client.UnwrapKeyAsync(KeyVaultKeyId.Parse(wrapped.KeyId), "RSA-OAEP-256", wrapped.Value);
        var current = await client.WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);

        Assert.Equal(Plain, unwrapped.Value);
        Assert.NotEqual(wrapped.KeyId, current.KeyId);
        Assert.Equal(rotated, current.KeyId);
    }

    [Fact]
    public async Task GetKeyAsync_EcKey_ReturnsPublicJwkFromDocumentedGet()
    {
        var kid = _vault.CreateEcKey("signing");

        var key = await _vault.Client().GetKeyAsync(KeyVaultKeyId.Parse(kid));

        Assert.Equal(kid, key.KeyId);
        Assert.Equal("EC", key.KeyType);
        Assert.Equal("P-256", key.Curve);
        Assert.True(key.IsEcP256);
        Assert.False(key.IsRsa);
        Assert.Equal(32, key.X!.Length);
        Assert.Equal(32, key.Y!.Length);
        Assert.Null(key.N);
        var request = Assert.Single(_vault.Requests);
        Assert.Equal(("GET", new Uri(kid).AbsolutePath, ""), (request.Method, request.Path, request.Body));
    }

    [Fact]
    public async Task SignAsync_Es256Digest_SignatureVerifiesWithTheKeysPublicPart()
    {
        _vault.CreateEcKey("signing");
        var client = _vault.Client();
        var digest = SHA256.HashData("manifest"u8);

        var signature = await client.SignAsync(_vault.Reference("signing"), "ES256", digest);
        var key = await client.GetKeyAsync(KeyVaultKeyId.Parse(signature.KeyId));

        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = key.X, Y = key.Y } });
        Assert.True(ecdsa.VerifyHash(digest, signature.Value, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var request = _vault.Requests[0];
        Assert.Equal("/keys/signing/sign", request.Path);
        Assert.Equal("ES256", (string?)request.Json!["alg"]);
        Assert.Equal(Base64Url.EncodeToString(digest), (string?)request.Json!["value"]);
    }

    [Fact]
    public async Task WrapKeyAsync_ForbiddenKey_NamesTheRoleAndNoKeyMaterial()
    {
        _vault.CreateRsaKey("kek");
        _vault.Forbid("kek");

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => _vault.Client().WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain));

        Assert.Equal((403, "Forbidden", false, "wrapKey"), (e.Status, e.ErrorCode, e.IsTransient, e.Operation));
        Assert.Contains("'Key Vault Crypto User'", e.Message, StringComparison.Ordinal);
        Assert.Contains("/keys/kek", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Url.EncodeToString(Plain), e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Plain), e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("fake-vault-token", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_ForbiddenKey_SaysSignNeedsCryptoUser()
    {
        _vault.CreateEcKey("signing");
        _vault.Forbid("signing");

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => _vault.Client().SignAsync(_vault.Reference("signing"), "ES256", new byte[32]));

        Assert.Equal(403, e.Status);
        Assert.Contains("may not sign", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Key Vault Crypto User'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwrapKeyAsync_UnknownVersion_KeyNotFoundNotTransient()
    {
        _vault.CreateRsaKey("kek");
        var missing = KeyVaultKeyId.From(_vault.Reference("kek", "0123456789abcdef0123456789abcdef"));

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => _vault.Client().UnwrapKeyAsync(missing, "RSA-OAEP-256", new byte[256]));

        Assert.Equal((404, "KeyNotFound", false), (e.Status, e.ErrorCode, e.IsTransient));
        Assert.Contains("no such key, or no such version", e.Message, StringComparison.Ordinal);
        Assert.Equal(missing.ToString(), e.KeyId);
    }

    [Fact]
    public async Task SignAsync_AlgorithmTheKeyDoesNotDo_BadParameterWithTheVaultsReason()
    {
        _vault.CreateRsaKey("kek");

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => _vault.Client().SignAsync(_vault.Reference("kek"), "ES256", new byte[32]));

        Assert.Equal((400, "BadParameter", false), (e.Status, e.ErrorCode, e.IsTransient));
        Assert.Contains("Algorithm 'ES256' is not valid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapKeyAsync_ThrottledBeyondRetries_TransientAfterRetrying()
    {
        _vault.CreateRsaKey("kek");
        _vault.ThrottleNext(10);

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => _vault.Client(maxRetries: 2).WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain));

        Assert.Equal((429, "Throttled", true), (e.Status, e.ErrorCode, e.IsTransient));
        Assert.Equal(3, _vault.Requests.Count);
    }

    [Fact]
    public async Task WrapKeyAsync_ThrottledOnce_RetriedAndSucceeds()
    {
        _vault.CreateRsaKey("kek");
        _vault.ThrottleNext(1);

        var result = await _vault.Client(maxRetries: 1).WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);

        Assert.Equal(256, result.Value.Length);
        Assert.Equal([429, 200], _vault.Requests.Select(r => r.Status));
        Assert.Equal(_vault.Requests[0].Body, _vault.Requests[1].Body);
    }

    [Fact]
    public async Task WrapKeyAsync_VaultUnreachable_TransientWithStatusZero()
    {
        using var port = new RefusingPort();
        var keys = new KeyVaultKeys(FakeKeyVault.Credential, _vault.Options(maxRetries: 1));

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => keys.WrapKeyAsync(new KeyVaultKeyId(new Uri($"https://127.0.0.1:{port.Port}/"), "kek"), "RSA-OAEP-256", Plain));

        Assert.Equal((0, true), (e.Status, e.IsTransient));
        Assert.Contains("could not be reached (after 2 tries: ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port.Port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapKeyAsync_VaultInAnotherTenant_FollowsTheChallengeOnceAndKeepsItsTenant()
    {
        _vault.CreateRsaKey("kek");
        _vault.RequiredTenant = "tenant-b";
        var client = _vault.Client();

        await client.WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);
        await client.WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);

        Assert.Equal([401, 200, 200], _vault.Requests.Select(r => r.Status));
        Assert.Equal(FakeVaultCredential.TokenFor(null, [KeyVaultKeys.Scope]), _vault.Requests[0].BearerToken);
        Assert.Equal(FakeVaultCredential.TokenFor("tenant-b", ["https://vault.azure.net/.default"]), _vault.Requests[1].BearerToken);
        Assert.Equal(_vault.Requests[1].BearerToken, _vault.Requests[2].BearerToken);
        Assert.Equal(_vault.Requests[0].Body, _vault.Requests[1].Body);
    }

    [Fact]
    public async Task WrapKeyAsync_ChallengeForAResourceOutsideTheVaultsDomain_NotFollowed()
    {
        _vault.CreateRsaKey("kek");
        _vault.RequiredTenant = "tenant-b";
        var options = _vault.Options();
        options.DisableChallengeResourceVerification = false;

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => new KeyVaultKeys(FakeKeyVault.Credential, options).WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain));

        Assert.Equal(401, e.Status);
        Assert.Single(_vault.Requests);
    }

    [Fact]
    public async Task WrapKeyAsync_ChallengeForTheVaultsOwnHost_FollowedWithVerificationOn()
    {
        _vault.CreateRsaKey("kek");
        _vault.RequiredTenant = "tenant-b";
        _vault.ChallengeResource = "https://127.0.0.1";
        var options = _vault.Options();
        options.DisableChallengeResourceVerification = false;

        await new KeyVaultKeys(FakeKeyVault.Credential, options).WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain);

        Assert.Equal([401, 200], _vault.Requests.Select(r => r.Status));
        Assert.Equal(FakeVaultCredential.TokenFor("tenant-b", ["https://127.0.0.1/.default"]), _vault.Requests[1].BearerToken);
    }

    [Fact]
    public void Options_Defaults_AsDocumented()
    {
        var options = new KeyVaultKeysOptions();

        Assert.Equal("7.4", options.ApiVersion);
        Assert.Equal((RetryMode.Exponential, 3, TimeSpan.FromSeconds(0.8)), (options.Retry.Mode, options.Retry.MaxRetries, options.Retry.Delay));
        Assert.False(options.Diagnostics.IsLoggingContentEnabled);
        Assert.False(options.DisableChallengeResourceVerification);
    }

    [Fact]
    public async Task WrapKeyAsync_VaultUrlNotHttps_RefusedBeforeAnyToken()
    {
        var keys = _vault.Client();

        var e = await Assert.ThrowsAsync<KeyVaultRequestException>(() => keys.WrapKeyAsync(new Core.Configuration.KeyVaultKeyReference("http://127.0.0.1:1/", "kek"), "RSA-OAEP-256", Plain));

        Assert.Equal((0, false), (e.Status, e.IsTransient));
        Assert.Contains("not HTTPS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapKeyAsync_CancelledByCaller_OperationCanceled()
    {
        _vault.CreateRsaKey("kek");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _vault.Client().WrapKeyAsync(_vault.Reference("kek"), "RSA-OAEP-256", Plain, cancel.Token));
    }
}
