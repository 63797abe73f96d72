using System.Security.Cryptography;
using Strata.Adapters.Encryption;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;
using Strata.Core.Encryption;

namespace Strata.Adapters.Tests.Encryption;

public class LocalAesKeyEncryptionKeyTests
{
    private static readonly SecretReference Reference = new(SecretSource.Environment, "STRATA_KEK");

    [Fact]
    public async Task UnwrapAsync_WhatItWrapped_GivesBackTheDataKey()
    {
        var kekBytes = RandomNumberGenerator.GetBytes(32);
        var kek = new LocalAesKeyEncryptionKey("local", Reference, Environment(Convert.ToBase64String(kekBytes)));
        using var dataKey = DataKey.Create();

        var wrapped = await kek.WrapAsync(dataKey);
        using var unwrapped = await LocalAesKeyEncryptionKey.FromBytes("same", kekBytes).UnwrapAsync(wrapped);

        Assert.Equal(dataKey.Bytes.ToArray(), unwrapped.Bytes.ToArray());
        Assert.Equal(KeyWrapAlgorithms.Aes256Gcm, wrapped.Algorithm);
        Assert.Equal("local:aes:" + Convert.ToHexStringLower(SHA256.HashData([.. "strata-kek-id"u8, .. kekBytes]))[..16], wrapped.KeyId);
    }

    [Fact]
    public async Task WrapAsync_IsAesGcmWithTheDocumentedLayoutAndAssociatedData()
    {
        var kekBytes = RandomNumberGenerator.GetBytes(32);
        using var dataKey = DataKey.Create();

        var wrapped = Convert.FromBase64String((await LocalAesKeyEncryptionKey.FromBytes("local", kekBytes).WrapAsync(dataKey)).Value);

        var plain = new byte[32];
        using var aes = new AesGcm(kekBytes, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(12, 32), wrapped.AsSpan(44), plain, "strata:v1:kek"u8);
        Assert.Equal(60, wrapped.Length);
        Assert.Equal(dataKey.Bytes.ToArray(), plain);
    }

    [Fact]
    public async Task UnwrapAsync_AnotherKey_NamesBothKeyIds()
    {
        var kek = LocalAesKeyEncryptionKey.FromBytes("local", RandomNumberGenerator.GetBytes(32));
        var other = LocalAesKeyEncryptionKey.FromBytes("other", RandomNumberGenerator.GetBytes(32));
        using var dataKey = DataKey.Create();
        var wrapped = await other.WrapAsync(dataKey);

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped));

        Assert.Contains("'local'", error.Message);
        Assert.Contains(wrapped.KeyId, error.Message);
        Assert.Contains(await kek.GetKeyIdAsync(), error.Message);
    }

    [Fact]
    public async Task UnwrapAsync_DamagedWrapping_IsRefused()
    {
        var kek = LocalAesKeyEncryptionKey.FromBytes("local", RandomNumberGenerator.GetBytes(32));
        using var dataKey = DataKey.Create();
        var wrapped = await kek.WrapAsync(dataKey);
        var bytes = Convert.FromBase64String(wrapped.Value);
        bytes[20] ^= 1;

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped with { Value = Convert.ToBase64String(bytes) }));

        Assert.Contains("damaged", error.Message);
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("this is not base64 but a passphrase")]
    public async Task WrapAsync_ValueNotBase64Of32Bytes_NamesTheReference_NotTheValue(string value)
    {
        var kek = new LocalAesKeyEncryptionKey("local", Reference, Environment(value));
        using var dataKey = DataKey.Create();

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.WrapAsync(dataKey));

        Assert.Contains("env:STRATA_KEK", error.Message);
        Assert.DoesNotContain(value, error.Message);
    }

    [Fact]
    public async Task WrapAsync_SecretMissing_NamesTheReference()
    {
        var kek = new LocalAesKeyEncryptionKey("local", Reference, new SecretResolver(_ => null));
        using var dataKey = DataKey.Create();

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.WrapAsync(dataKey));

        Assert.Contains("env:STRATA_KEK", error.Message);
        Assert.Contains("not set", error.Message);
    }

    [Fact]
    public void Matches_BeforeResolving_TriesEveryAesWrapping()
    {
        var kek = new LocalAesKeyEncryptionKey("local", Reference, Environment(Convert.ToBase64String(new byte[32])));

        Assert.True(kek.Matches(new WrappedKey("local:aes:0123456789abcdef", KeyWrapAlgorithms.Aes256Gcm, "")));
        Assert.False(kek.Matches(new WrappedKey("local:rsa:0123456789abcdef", KeyWrapAlgorithms.RsaOaep256, "")));
    }

    [Fact]
    public void FromBytes_NotThirtyTwoBytes_IsRefused() =>
        Assert.Throws<KeyUnwrapException>(() => LocalAesKeyEncryptionKey.FromBytes("local", new byte[16]));

    private static SecretResolver Environment(string value) => new(name => name == "STRATA_KEK" ? value : null);
}
