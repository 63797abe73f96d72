using Strata.Adapters.Encryption;
using Strata.Adapters.KeyVault;
using Strata.Core.Encryption;
using Strata.TestKit;
using Strata.TestKit.KeyVault;

namespace Strata.Adapters.Tests.Encryption;

/// <summary>A Key Vault key-encryption key through the fake vault: wrap/unwrap, rotation, matching, failures.</summary>
public sealed class KeyVaultKeyEncryptionKeyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private KeyVaultKeyEncryptionKey Kek(string? version = null, int maxRetries = 0) =>
        new("vault", _vault.Reference("kek", version), _vault.Client(maxRetries), new ManualClock(Now));

    [Fact]
    public async Task WrapAsync_ThenUnwrapAsync_SameDataKeyAndVersionedKid()
    {
        var kid = _vault.CreateRsaKey("kek");
        var kek = Kek();
        using var dataKey = DataKey.Create();

        var wrapped = await kek.WrapAsync(dataKey);
        using var unwrapped = await kek.UnwrapAsync(wrapped);

        Assert.Equal(dataKey.Bytes.ToArray(), unwrapped.Bytes.ToArray());
        Assert.Equal((kid, KeyWrapAlgorithms.RsaOaep256, "vault", Now), (wrapped.KeyId, wrapped.Algorithm, wrapped.Name, wrapped.WrappedAt));
        Assert.Equal(256, Convert.FromBase64String(wrapped.Value).Length);
        Assert.True(kek.Matches(wrapped));
        Assert.Equal("RSA-OAEP-256", (string?)_vault.Requests[0].Json!["alg"]);
    }

    [Fact]
    public async Task UnwrapAsync_AfterRotation_AsksForTheRecordedVersion()
    {
        var first = _vault.CreateRsaKey("kek");
        var kek = Kek();
        using var dataKey = DataKey.Create();
        var wrapped = await kek.WrapAsync(dataKey);
        var second = _vault.RotateKey("kek");

        using var unwrapped = await kek.UnwrapAsync(wrapped);
        var rewrapped = await kek.WrapAsync(dataKey);

        Assert.Equal(dataKey.Bytes.ToArray(), unwrapped.Bytes.ToArray());
        Assert.Equal(new Uri(first).AbsolutePath + "/unwrapkey", _vault.Requests[1].Path);
        Assert.Equal(second, rewrapped.KeyId);
        Assert.True(kek.Matches(wrapped));
        Assert.True(kek.Matches(rewrapped));
    }

    [Fact]
    public async Task Matches_PinnedVersion_OnlyThatVersion()
    {
        var first = _vault.CreateRsaKey("kek");
        var second = _vault.RotateKey("kek");
        var pinned = Kek(KeyVaultKeyId.Parse(first).Version);
        using var dataKey = DataKey.Create();

        var wrapped = await pinned.WrapAsync(dataKey);

        Assert.Equal(first, wrapped.KeyId);
        Assert.True(pinned.Matches(wrapped));
        Assert.False(pinned.Matches(wrapped with { KeyId = second }));
        Assert.Equal($"/keys/kek/{KeyVaultKeyId.Parse(first).Version}/wrapkey", _vault.Requests[0].Path);
    }

    [Theory]
    [InlineData("https://other-vault.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef", KeyWrapAlgorithms.RsaOaep256)]
    [InlineData("{vault}keys/other-key/0123456789abcdef0123456789abcdef", KeyWrapAlgorithms.RsaOaep256)]
    [InlineData("{vault}keys/kek", KeyWrapAlgorithms.RsaOaep256)]
    [InlineData("{vault}keys/kek/0123456789abcdef0123456789abcdef", KeyWrapAlgorithms.Aes256Gcm)]
    [InlineData("local:rsa:0123456789abcdef", KeyWrapAlgorithms.RsaOaep256)]
    public async Task UnwrapAsync_WrappedByAnotherKey_RefusedWithoutAskingAnyVault(string keyId, string algorithm)
    {
        _vault.CreateRsaKey("kek");
        var kek = Kek();
        var wrapped = new WrappedKey(keyId.Replace("{vault}", _vault.VaultUri.ToString(), StringComparison.Ordinal), algorithm, Convert.ToBase64String(new byte[256]));

        Assert.False(kek.Matches(wrapped));
        var e = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped));

        Assert.Contains("did not wrap this data key", e.Message, StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task UnwrapAsync_Forbidden_KeyUnwrapExceptionNamesKeyAndRole()
    {
        _vault.CreateRsaKey("kek");
        var kek = Kek();
        using var dataKey = DataKey.Create();
        var wrapped = await kek.WrapAsync(dataKey);
        _vault.Forbid("kek");

        var e = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped));

        Assert.False(e.IsTransient);
        Assert.Contains("'vault'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Key Vault Crypto User'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrapped.Value, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(dataKey.Bytes), e.ToString(), StringComparison.Ordinal);
        Assert.IsType<KeyVaultRequestException>(e.InnerException);
    }

    [Fact]
    public async Task UnwrapAsync_Throttled_TransientKeyUnwrapException()
    {
        _vault.CreateRsaKey("kek");
        var kek = Kek();
        using var dataKey = DataKey.Create();
        var wrapped = await kek.WrapAsync(dataKey);
        _vault.ThrottleNext(5);

        var e = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped));

        Assert.True(e.IsTransient);
        Assert.Contains("429", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwrapAsync_TamperedWrapping_NotTransient()
    {
        _vault.CreateRsaKey("kek");
        var kek = Kek();
        using var dataKey = DataKey.Create();
        var wrapped = await kek.WrapAsync(dataKey);
        var bytes = Convert.FromBase64String(wrapped.Value);
        bytes[10] ^= 1;

        var e = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped with { Value = Convert.ToBase64String(bytes) }));

        Assert.False(e.IsTransient);
        Assert.Contains("400", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapAsync_NoSuchKey_KeyUnwrapExceptionNamesTheReference()
    {
        var kek = Kek();
        using var dataKey = DataKey.Create();

        var e = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.WrapAsync(dataKey));

        Assert.Contains(_vault.Reference("kek").ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("404", e.Message, StringComparison.Ordinal);
    }
}
