using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Strata.TestKit.KeyVault;

/// <summary>One version of a key in <see cref="FakeKeyVault"/>: a real RSA or EC P-256 key and a 32-hex-digit version.</summary>
internal sealed class FakeKeyVersion
{
    private FakeKeyVersion(AsymmetricAlgorithm key) => Key = key;

    public AsymmetricAlgorithm Key { get; }

    public string Version { get; } = Guid.NewGuid().ToString("N");

    public bool IsRsa => Key is RSA;

    public static FakeKeyVersion Rsa(RSA key) => new(key);

    public static FakeKeyVersion Ec(ECDsa key) => new(key);

    /// <summary>The public JSON Web Key, as get key answers it.</summary>
    public JsonObject Jwk(string kid)
    {
        if (Key is RSA rsa)
        {
            var p = rsa.ExportParameters(false);
            return new JsonObject
            {
                ["kid"] = kid, ["kty"] = "RSA", ["key_ops"] = new JsonArray("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"),
                ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent),
            };
        }

        var ec = ((ECDsa)Key).ExportParameters(false);
        return new JsonObject
        {
            ["kid"] = kid, ["kty"] = "EC", ["key_ops"] = new JsonArray("sign", "verify"), ["crv"] = Curve(ec.Q.X!.Length),
            ["x"] = Base64Url.EncodeToString(ec.Q.X), ["y"] = Base64Url.EncodeToString(ec.Q.Y),
        };
    }

    private static string Curve(int coordinateLength) => coordinateLength switch
    {
        32 => "P-256",
        48 => "P-384",
        _ => "P-521",
    };

    /// <summary>The answer's value, or null when the algorithm does not fit the key or the operation (or the value does not decrypt).</summary>
    public byte[]? Operate(string operation, string? alg, byte[] value)
    {
        try
        {
            return (operation, alg, Key) switch
            {
                ("wrapkey", "RSA-OAEP-256", RSA rsa) => rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA256),
                ("wrapkey", "RSA-OAEP", RSA rsa) => rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA1),
                ("unwrapkey", "RSA-OAEP-256", RSA rsa) => rsa.Decrypt(value, RSAEncryptionPadding.OaepSHA256),
                ("unwrapkey", "RSA-OAEP", RSA rsa) => rsa.Decrypt(value, RSAEncryptionPadding.OaepSHA1),
                ("sign", "RS256", RSA rsa) when value.Length == 32 => rsa.SignHash(value, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ("sign", "ES256", ECDsa ec) when value.Length == 32 && ec.KeySize == 256 => ec.SignHash(value, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => null,
            };
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
