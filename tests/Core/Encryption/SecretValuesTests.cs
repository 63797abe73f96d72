using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Encryption;

public class SecretValuesTests
{
    private const string Entry = "resources/core/v1/secrets/namespaces/shop/db.json";
    private const string Password = "p\u00e4ss\"w\\rd\n\u0001\u00fc\u20ac";

    // 30 bytes and a last character whose low bits are not zero: base64url no writer of the format produces.
    private const string NonCanonical = "strata:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB";

    private static readonly DataKey Key = DataKey.Create();

    [Fact]
    public void EncryptInPlace_EveryValue_BecomesAToken_AndKeysStayReadable()
    {
        var secret = Secret();

        var count = SecretValues.EncryptInPlace(secret, Entry, Key);

        var document = Encoding.UTF8.GetString(KubeObjectJson.Serialize(secret));
        Assert.Equal(4, count);
        Assert.All(
            [secret.Json["data"]!["password"], secret.Json["data"]!["username"], secret.Json["stringData"]!["token"], secret.Json["metadata"]!["annotations"]![SecretValues.LastAppliedAnnotation]],
            v => Assert.StartsWith("strata:v1:", v!.GetValue<string>()));
        Assert.Contains("\"password\":\"strata:v1:", document);
        Assert.Contains("\"app\":\"shop\"", document);
        Assert.Contains("\"note\":\"kept\"", document);
        Assert.DoesNotContain("admin", document);
        Assert.DoesNotContain("s3cr3t", document);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), document);
    }

    [Fact]
    public void DecryptInPlace_AfterEncryptInPlace_GivesBackTheObject()
    {
        var secret = Secret();
        var original = secret.Json.ToJsonString();
        SecretValues.EncryptInPlace(secret, Entry, Key);

        var count = SecretValues.DecryptInPlace(secret, Entry, Key);

        Assert.Equal(4, count);
        Assert.Equal(original, secret.Json.ToJsonString());
    }

    [Fact]
    public void DecryptInPlace_TokenMovedToAnotherKey_NamesEntryAndPlace_NotTheValue()
    {
        var secret = Secret();
        SecretValues.EncryptInPlace(secret, Entry, Key);
        var data = (JsonObject)secret.Json["data"]!;
        (data["username"], data["password"]) = (data["password"]!.GetValue<string>(), data["username"]!.GetValue<string>());

        var error = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptInPlace(secret, Entry, Key));

        Assert.Contains(Entry, error.Message);
        Assert.Contains("data/", error.Message);
        Assert.DoesNotContain("strata:v1:", error.Message);
        Assert.DoesNotContain("admin", error.Message);
    }

    [Fact]
    public void DecryptInPlaceAndCheckDocument_PlainValueWhereEveryValueIsEncrypted_AreRefusedNamingIt_NotTheValue()
    {
        var secret = Secret();
        SecretValues.EncryptInPlace(secret, Entry, Key);
        secret.Json["data"]!["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("planted"));
        var document = KubeObjectJson.Serialize(secret);
        using var values = new SecretValueKey(Key);

        var restored = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptInPlace(secret, Entry, Key));
        var verified = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.CheckDocument(document, Entry, values));

        Assert.Equal(restored.Message, verified.Message);
        Assert.Contains("data/password is not encrypted", restored.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("planted")), restored.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptInPlace_AnotherEntry_IsRefused()
    {
        var secret = Secret();
        SecretValues.EncryptInPlace(secret, Entry, Key);

        var error = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptInPlace(secret, "resources/core/v1/secrets/namespaces/shop/other.json", Key));

        Assert.Contains("other.json", error.Message);
    }

    [Fact]
    public void DecryptInPlace_WrongKey_IsRefused()
    {
        var secret = Secret();
        SecretValues.EncryptInPlace(secret, Entry, Key);
        using var other = DataKey.Create();

        Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptInPlace(secret, Entry, other));
    }

    [Theory]
    [InlineData("strata:v1:")]
    [InlineData("strata:v1:AAAA")]
    [InlineData("strata:v1:not base64!")]
    [InlineData("strata:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData(NonCanonical)]
    public void Decrypt_MalformedToken_IsRefused(string token) =>
        Assert.Throws<ArtifactDecryptionException>(() => SecretValueCipher.Decrypt(token, Key, Entry, "data", "x"));

    [Theory]
    [InlineData("strata:v1:", "too short")]
    [InlineData("strata:v1:AAAA", "too short")]
    [InlineData("strata:v1:not base64!", "not unpadded base64url")]
    [InlineData(NonCanonical, "not unpadded base64url")]
    public void CheckDocument_MalformedToken_IsRefusedAsDecryptRefusesIt(string token, string reason)
    {
        var expected = Assert.Throws<ArtifactDecryptionException>(() => SecretValueCipher.Decrypt(token, Key, Entry, "data", "x"));
        using var values = new SecretValueKey(Key);

        var error = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.CheckDocument(Encoding.UTF8.GetBytes($$$"""{"data":{"x":"{{{token}}}"}}"""), Entry, values));

        Assert.Equal(expected.Message, error.Message);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDocument_AfterEncryptInPlace_ChecksEveryValue()
    {
        var secret = Secret();
        using var values = new SecretValueKey(Key);
        SecretValues.EncryptInPlace(secret, Entry, values);

        var count = SecretValues.CheckDocument(KubeObjectJson.Serialize(secret), Entry, values);

        Assert.Equal(4, count);
    }

    [Fact]
    public void CheckDocument_TokenMovedToAnotherKey_SameMessageAsDecryptInPlace_NotTheValue()
    {
        var secret = Secret();
        SecretValues.EncryptInPlace(secret, Entry, Key);
        var data = (JsonObject)secret.Json["data"]!;
        (data["username"], data["password"]) = (data["password"]!.GetValue<string>(), data["username"]!.GetValue<string>());
        var document = KubeObjectJson.Serialize(secret);
        var expected = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptInPlace(secret, Entry, Key));
        using var values = new SecretValueKey(Key);

        var error = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.CheckDocument(document, Entry, values));

        Assert.Equal(expected.Message, error.Message);
        Assert.Contains("data/username does not authenticate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("strata:v1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("admin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDocument_WrongKeyOrAnotherEntry_IsRefused()
    {
        var secret = Secret();
        SecretValues.EncryptInPlace(secret, Entry, Key);
        var document = KubeObjectJson.Serialize(secret);
        using var other = DataKey.Create();
        using var otherValues = new SecretValueKey(other);
        using var values = new SecretValueKey(Key);

        Assert.Throws<ArtifactDecryptionException>(() => SecretValues.CheckDocument(document, Entry, otherValues));
        var error = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.CheckDocument(document, "resources/core/v1/secrets/namespaces/shop/other.json", values));
        Assert.Contains("other.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDocument_EscapedKeyAndToken_AreReadAsAnyJsonReaderReadsThem()
    {
        var token = SecretValueCipher.Encrypt("s3cr3t"u8, Key, Entry, "stringData", "p\\w\u00e9");
        var escapedToken = "\\u0073" + token[1..];
        using var values = new SecretValueKey(Key);

        var count = SecretValues.CheckDocument(Encoding.UTF8.GetBytes($$$"""{"stringData":{"p\\w\u00e9":"{{{escapedToken}}}"}}"""), Entry, values);

        Assert.Equal(1, count);
    }

    [Fact]
    public void CheckDocument_TokensElsewhere_AreNotChecked()
    {
        var document = """
            {"metadata":{"labels":{"x":"BAD"},"annotations":{"note":"BAD","LAST":{"nested":"BAD"}}},
             "data":{"list":["BAD"],"object":{"deep":"BAD"},"number":1},"other":{"data":{"k":"BAD"}},"type":"BAD"}
            """.Replace("LAST", SecretValues.LastAppliedAnnotation, StringComparison.Ordinal).Replace("BAD", "strata:v1:not base64!", StringComparison.Ordinal);
        using var values = new SecretValueKey(Key);

        Assert.Equal(0, SecretValues.CheckDocument(Encoding.UTF8.GetBytes(document), Entry, values));
        Assert.Equal(0, SecretValues.CheckDocument("[1]"u8, Entry, values));
    }

    [Fact]
    public void EncryptAndCheck_LongEntryPathAndValue_UsePooledBuffersAndStillAgree()
    {
        var entry = "resources/example.com/v1/secrets/namespaces/" + new string('n', 300) + "/" + new string('s', 300) + ".json";
        var big = new string('x', 100_000);
        var secret = new KubeObject(new JsonObject { ["data"] = new JsonObject { ["k"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(big)) }, ["stringData"] = new JsonObject { ["t"] = big } });
        using var values = new SecretValueKey(Key);

        SecretValues.EncryptInPlace(secret, entry, values);

        Assert.Equal(2, SecretValues.CheckDocument(KubeObjectJson.Serialize(secret), entry, values));
        Assert.Equal(big, Encoding.UTF8.GetString(SecretValueCipher.Decrypt(secret.Json["stringData"]!["t"]!.GetValue<string>(), Key, entry, "stringData", "t")));
    }

    [Fact]
    public void Encrypt_WithSecretValueKey_IsTheSameFormat()
    {
        using var values = new SecretValueKey(Key);

        var first = SecretValueCipher.Encrypt("v"u8, values, Entry, "stringData", "k");
        var second = SecretValueCipher.Encrypt("v"u8, values, Entry, "stringData", "k");

        Assert.Equal("v"u8.ToArray(), SecretValueCipher.Decrypt(first, Key, Entry, "stringData", "k"));
        Assert.Equal("v"u8.ToArray(), SecretValueCipher.Decrypt(second, values, Entry, "stringData", "k"));
        Assert.NotEqual(first, second);
        Assert.Equal("strata:v1:".Length + 39, first.Length);
    }

    [Fact]
    public void Encrypt_TokenUsesTheDocumentedAssociatedData()
    {
        var token = SecretValueCipher.Encrypt("v"u8, Key, Entry, "stringData", "k");
        var sealedValue = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan("strata:v1:".Length));
        using var aes = new System.Security.Cryptography.AesGcm(Key.Bytes, 16);
        var plain = new byte[1];

        aes.Decrypt(sealedValue[..12], sealedValue[12..13], sealedValue[13..], plain, Encoding.UTF8.GetBytes(Entry + "#stringData/k"));

        Assert.Equal("v"u8.ToArray(), plain);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void DecryptDocument_ReplacesOnlyTheTokenLiterals()
    {
        var data = SecretValueCipher.Encrypt([0xff, 0x00, 0x41], Key, Entry, "data", "bin");
        var text = SecretValueCipher.Encrypt(Encoding.UTF8.GetBytes(Password), Key, Entry, "stringData", "pw");
        var applied = SecretValueCipher.Encrypt("{\"a\":1}"u8, Key, Entry, "metadata.annotations", SecretValues.LastAppliedAnnotation);
        var document = $$$"""
            {"kind":"Secret", "metadata": {"name":"db","labels":{"x":"{{{data}}}"},"annotations": {"{{{SecretValues.LastAppliedAnnotation}}}" : "{{{applied}}}"}},
             "data":{"bin":"{{{data}}}"},"stringData":{"pw":"{{{text}}}"}, "type":"Opaque"}
            """;

        var output = SecretValues.DecryptDocument(Encoding.UTF8.GetBytes(document), Entry, Key);

        var expected = $$$"""
            {"kind":"Secret", "metadata": {"name":"db","labels":{"x":"{{{data}}}"},"annotations": {"{{{SecretValues.LastAppliedAnnotation}}}" : "{\"a\":1}"}},
             "data":{"bin":"/wBB"},"stringData":{"pw":"p\u00e4ss\"w\\rd\u000a\u0001\u00fc\u20ac"}, "type":"Opaque"}
            """.Replace("\\u00e4", "\u00e4", StringComparison.Ordinal).Replace("\\u00fc", "\u00fc", StringComparison.Ordinal).Replace("\\u20ac", "\u20ac", StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(output));
    }

    [Fact]
    public void DecryptDocument_AgreesWithDecryptInPlace()
    {
        var secret = Secret();
        var original = secret.Json.ToJsonString();
        SecretValues.EncryptInPlace(secret, Entry, Key);

        var output = SecretValues.DecryptDocument(KubeObjectJson.Serialize(secret), Entry, Key);

        var reparsed = (JsonObject)JsonNode.Parse(output)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), reparsed));
    }

    [Fact]
    public void DecryptDocument_TamperedToken_NamesEntryAndPlace()
    {
        var token = SecretValueCipher.Encrypt("s3cr3t"u8, Key, Entry, "stringData", "pw");
        var tampered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

        var error = Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptDocument(Encoding.UTF8.GetBytes($$$"""{"stringData":{"pw":"{{{tampered}}}"}}"""), Entry, Key));

        Assert.Contains(Entry, error.Message);
        Assert.Contains("stringData/pw", error.Message);
        Assert.DoesNotContain(tampered, error.Message);
    }

    [Fact]
    public void DecryptDocument_NotJson_IsRefused() =>
        Assert.Throws<ArtifactDecryptionException>(() => SecretValues.DecryptDocument("{\"data\":"u8.ToArray(), Entry, Key));

    internal static KubeObject Secret() => new((JsonObject)JsonNode.Parse($$$"""
        {
          "apiVersion": "v1", "kind": "Secret",
          "metadata": {
            "name": "db", "namespace": "shop", "labels": {"app": "shop"},
            "annotations": {"note": "kept", "{{{SecretValues.LastAppliedAnnotation}}}": "{\"apiVersion\":\"v1\",\"stringData\":{\"token\":\"s3cr3t\"}}"}
          },
          "type": "Opaque",
          "data": {"username": "{{{Convert.ToBase64String("admin"u8)}}}", "password": "{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(Password))}}}"},
          "stringData": {"token": "s3cr3t"}
        }
        """)!);
}
