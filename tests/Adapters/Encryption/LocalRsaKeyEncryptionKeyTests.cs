using System.Security.Cryptography;
using Strata.Adapters.Encryption;
using Strata.Core.Encryption;

namespace Strata.Adapters.Tests.Encryption;

public sealed class LocalRsaKeyEncryptionKeyTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("strata-rsa-kek-");
    private readonly RSA _rsa = RSA.Create(2048);

    [Fact]
    public async Task UnwrapAsync_WhatItWrapped_GivesBackTheDataKey()
    {
        var kek = LocalRsaKeyEncryptionKey.FromPemFile("offline", Write("private.pem", _rsa.ExportPkcs8PrivateKeyPem()));
        using var dataKey = DataKey.Create();

        var wrapped = await kek.WrapAsync(dataKey);
        using var unwrapped = await kek.UnwrapAsync(wrapped);

        Assert.Equal(dataKey.Bytes.ToArray(), unwrapped.Bytes.ToArray());
        Assert.Equal(KeyWrapAlgorithms.RsaOaep256, wrapped.Algorithm);
        Assert.Equal("offline", wrapped.Name);
        Assert.True(kek.Matches(wrapped));
    }

    [Fact]
    public async Task WrapAsync_IsRsaOaepWithSha256_AndTheKeyIdIsTheSpkiFingerprint()
    {
        var kek = LocalRsaKeyEncryptionKey.FromPemFile("offline", Write("rsa.pem", _rsa.ExportRSAPrivateKeyPem()));
        using var dataKey = DataKey.Create();

        var wrapped = await kek.WrapAsync(dataKey);

        Assert.Equal(dataKey.Bytes.ToArray(), _rsa.Decrypt(Convert.FromBase64String(wrapped.Value), RSAEncryptionPadding.OaepSHA256));
        Assert.Equal("local:rsa:" + Convert.ToHexStringLower(SHA256.HashData(_rsa.ExportSubjectPublicKeyInfo()))[..16], wrapped.KeyId);
    }

    [Fact]
    public async Task UnwrapAsync_PublicKeyOnly_WrapsButCannotUnwrap()
    {
        var publicKey = LocalRsaKeyEncryptionKey.FromPemFile("offline", Write("public.pem", _rsa.ExportSubjectPublicKeyInfoPem()));
        var privateKey = LocalRsaKeyEncryptionKey.FromPemFile("offline", Write("private.pem", _rsa.ExportPkcs8PrivateKeyPem()));
        using var dataKey = DataKey.Create();

        var wrapped = await publicKey.WrapAsync(dataKey);
        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => publicKey.UnwrapAsync(wrapped));

        Assert.True(publicKey.CanWrap);
        Assert.False(publicKey.CanUnwrap);
        Assert.True(privateKey.CanUnwrap);
        Assert.Equal(publicKey.KeyId, privateKey.KeyId);
        Assert.Contains("public key", error.Message);
        using var unwrapped = await privateKey.UnwrapAsync(wrapped);
        Assert.Equal(dataKey.Bytes.ToArray(), unwrapped.Bytes.ToArray());
    }

    [Fact]
    public async Task UnwrapAsync_WrappedByAnotherKey_NamesBothKeys()
    {
        using var otherRsa = RSA.Create(2048);
        var kek = LocalRsaKeyEncryptionKey.FromPemFile("offline", Write("a.pem", _rsa.ExportPkcs8PrivateKeyPem()));
        var other = LocalRsaKeyEncryptionKey.FromPemFile("other", Write("b.pem", otherRsa.ExportPkcs8PrivateKeyPem()));
        using var dataKey = DataKey.Create();
        var wrapped = await other.WrapAsync(dataKey);

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped));

        Assert.False(kek.Matches(wrapped));
        Assert.Contains("'offline'", error.Message);
        Assert.Contains(kek.KeyId, error.Message);
        Assert.Contains(other.KeyId, error.Message);
        Assert.DoesNotContain(wrapped.Value, error.Message);
    }

    [Fact]
    public async Task UnwrapAsync_DamagedWrapping_IsRefusedWithoutTheValue()
    {
        var kek = LocalRsaKeyEncryptionKey.FromPemFile("offline", Write("a.pem", _rsa.ExportPkcs8PrivateKeyPem()));
        using var dataKey = DataKey.Create();
        var wrapped = await kek.WrapAsync(dataKey);
        var bytes = Convert.FromBase64String(wrapped.Value);
        bytes[10] ^= 1;

        var error = await Assert.ThrowsAsync<KeyUnwrapException>(() => kek.UnwrapAsync(wrapped with { Value = Convert.ToBase64String(bytes) }));

        Assert.Contains("damaged", error.Message);
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGJ1dCBzZWNyZXQ=\n-----END PRIVATE KEY-----\n")]
    public void FromPemFile_NotAnRsaPemKey_NamesTheFile_NotItsContent(string content)
    {
        var path = Write("bad.pem", content);

        var error = Assert.Throws<KeyUnwrapException>(() => LocalRsaKeyEncryptionKey.FromPemFile("offline", path));

        Assert.Contains(path, error.Message);
        Assert.DoesNotContain("bm90IGEga2V5", error.Message);
        Assert.DoesNotContain("not a key at all", error.Message);
    }

    [Fact]
    public void FromPemFile_EcKey_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Write("ec.pem", ec.ExportPkcs8PrivateKeyPem());

        Assert.Contains(path, Assert.Throws<KeyUnwrapException>(() => LocalRsaKeyEncryptionKey.FromPemFile("offline", path)).Message);
    }

    [Fact]
    public void FromPemFile_EncryptedPrivateKey_SaysSo()
    {
        var path = Write("enc.pem", _rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));

        Assert.Contains("password-protected", Assert.Throws<KeyUnwrapException>(() => LocalRsaKeyEncryptionKey.FromPemFile("offline", path)).Message);
    }

    [Fact]
    public void FromPemFile_Missing_NamesTheFile()
    {
        var path = Path.Combine(_folder.FullName, "absent.pem");

        var error = Assert.Throws<KeyUnwrapException>(() => LocalRsaKeyEncryptionKey.FromPemFile("offline", path));

        Assert.Contains(path, error.Message);
        Assert.Contains("no such file", error.Message);
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _folder.Delete(recursive: true);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
