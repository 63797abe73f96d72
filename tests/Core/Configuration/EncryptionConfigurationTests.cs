using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.Encryption;

namespace Strata.Core.Tests.Configuration;

/// <summary>strata.yaml's <c>encryption:</c> and a policy's <c>encrypt:</c>: every field, the defaults, mistakes located, no key material repeated.</summary>
public sealed class EncryptionConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod
            context: prod-admin
        encryption:
          keys:
            - name: vault
              keyVault: { vault: strata-kv, key: strata-kek }
            - name: offline
              file: /etc/strata/offline-kek.pub.pem
            - name: local
              secret: { env: STRATA_KEK }
            - keyVault: { vault: "https://other.vault.azure.net", key: kek, version: 0a1b2c3d }
          signing:
            keyVault: { vault: strata-kv, key: strata-signing }
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
          - name: dumps
            clusters: [prod]
            schedule: "30 3 * * *"
            encrypt: all
          - name: plain
            clusters: [prod]
            schedule: "30 4 * * *"
            encrypt: none
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    private static string WithoutEncryption(string policyLine) => $"""
        clusters:
          - name: prod
            context: prod-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            {policyLine}
        """;

    [Fact]
    public void Parse_Encryption_ReadsEveryField()
    {
        var configuration = Parse(Valid);
        var keys = configuration.Encryption.Keys;

        Assert.Equal(["vault", "offline", "local", "keyVault:https://other.vault.azure.net/kek/0a1b2c3d"], keys.Select(k => k.Name));
        Assert.Equal(new KeyVaultKeyReference("strata-kv", "strata-kek"), keys[0].KeyVault);
        Assert.Equal("/etc/strata/offline-kek.pub.pem", keys[1].File);
        Assert.Equal(new SecretReference(SecretSource.Environment, "STRATA_KEK"), keys[2].Secret);
        Assert.Equal(new KeyVaultKeyReference("https://other.vault.azure.net", "kek", "0a1b2c3d"), keys[3].KeyVault);
        Assert.Equal(6, keys[0].Line);
        Assert.Equal(new KeyVaultKeyReference("strata-kv", "strata-signing"), configuration.Encryption.Signing!.KeyVault);
        Assert.Null(configuration.Encryption.Signing.Hmac);
    }

    [Fact]
    public void Parse_PolicyEncrypt_DefaultsToSecretsWhenKeysAreConfigured()
    {
        var configuration = Parse(Valid);

        Assert.Equal(EncryptionMode.Secrets, configuration.Encryption.ModeFor(configuration.FindPolicy("nightly")!));
        Assert.Equal(EncryptionMode.All, configuration.Encryption.ModeFor(configuration.FindPolicy("dumps")!));
        Assert.Equal(EncryptionMode.None, configuration.Encryption.ModeFor(configuration.FindPolicy("plain")!));
    }

    [Fact]
    public void Parse_NoEncryption_EncryptsNothing()
    {
        var configuration = Parse(WithoutEncryption(""));

        Assert.Same(EncryptionSettings.None, configuration.Encryption);
        Assert.Equal(EncryptionMode.None, configuration.Encryption.ModeFor(configuration.Policies[0]));
    }

    [Fact]
    public void Parse_HmacSigning_IsASecretReference()
    {
        var configuration = Parse(Valid.Replace("keyVault: { vault: strata-kv, key: strata-signing }", "hmac: { file: /run/secrets/signing }", StringComparison.Ordinal));

        Assert.Equal(new SecretReference(SecretSource.File, "/run/secrets/signing"), configuration.Encryption.Signing!.Hmac);
    }

    [Fact]
    public void Parse_OnlyAPublicKey_IsAccepted()
    {
        // A key no one here can unwrap with is how an offline escrow key is held: wrapping alone is fine.
        var configuration = Parse(WithoutEncryption("encrypt: all") + "\nencryption: { keys: [{ name: escrow, file: /etc/strata/escrow.pub.pem }] }");

        Assert.Equal("escrow", Assert.Single(configuration.Encryption.Keys).Name);
    }

    [Theory]
    [InlineData("encrypt: secrets", "policies[0].encrypt: policy 'nightly' asks for 'encrypt: secrets', and 'encryption.keys' names no key")]
    [InlineData("encrypt: all", "policies[0].encrypt: policy 'nightly' asks for 'encrypt: all'")]
    [InlineData("encrypt: everything", "policies[0].encrypt: 'everything' is not none, secrets")]
    [InlineData("encrypt: All", "did you mean 'all'?")]
    public void Parse_InvalidPolicyEncrypt_NamesThePolicyAndWhy(string line, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(WithoutEncryption(line)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EncryptSecretsWithoutKeys_IsLocatedOnThePolicysLine()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(WithoutEncryption("encrypt: secrets")));

        Assert.Contains("strata.yaml:5:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secret: { env: STRATA_KEK }", "secret: c2VjcmV0LWtleS1tYXRlcmlhbC1oZXJlLTMyYnl0ZXM=", "encryption.keys[2].secret: a key is never written in strata.yaml")]
    [InlineData("secret: { env: STRATA_KEK }", "secret: { env: STRATA_KEK }\n      file: /k.pem", "encryption.keys[2]: give one of keyVault, file or secret; this key has file and secret")]
    [InlineData("- name: local\n      secret: { env: STRATA_KEK }", "- name: local", "encryption.keys[2]: say where the key is")]
    [InlineData("keyVault: { vault: strata-kv, key: strata-kek }", "keyVault: { vault: strata-kv }", "encryption.keys[0].keyVault: needs both 'vault'")]
    [InlineData("keyVault: { vault: strata-kv, key: strata-kek }", "keyVault: { vault: strata_kv, key: strata-kek }", "encryption.keys[0].keyVault.vault: 'strata_kv' is not a vault name")]
    [InlineData("keyVault: { vault: strata-kv, key: strata-kek }", "keyVault: { vault: strata-kv, key: strata-kek, versoin: x }", "encryption.keys[0].keyVault.versoin: unknown field")]
    [InlineData("- name: offline", "- name: vault", "encryption.keys: 'vault' is defined more than once")]
    [InlineData("- name: offline", "- name: Offline", "encryption.keys[1].name: 'Offline' must be 1-63 lowercase")]
    [InlineData("keyVault: { vault: strata-kv, key: strata-signing }", "hmac: aGVsbG8taG1hYy1zaWduaW5nLWtleS1tYXRlcmlhbA==", "encryption.signing.hmac: a signing key is never written in strata.yaml")]
    [InlineData("keyVault: { vault: strata-kv, key: strata-signing }", "keyVault: { vault: strata-kv, key: s }\n    hmac: { env: K }", "encryption.signing: give one of keyVault or hmac, not both")]
    [InlineData("  signing:", "  sign:", "encryption.sign: unknown field 'sign'")]
    public void Parse_InvalidEncryption_NamesTheFieldAndWhy(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleS1tYXRlcmlhbC1oZXJlLTMyYnl0ZXM", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("aGVsbG8taG1hYy1zaWduaW5nLWtleS1tYXRlcmlhbA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyKeys_IsRefused()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(WithoutEncryption("") + "\nencryption: { keys: [] }"));

        Assert.Contains("encryption.keys: must not be empty", error.Message, StringComparison.Ordinal);
    }
}
