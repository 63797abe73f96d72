using Strata.Core.Encryption;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>
/// Reads <c>encryption:</c> — the key-encryption keys (each exactly one of a Key Vault key, a PEM file, or a secret
/// holding an AES key) and the manifest signing key (a Key Vault key or an HMAC key held as a secret) — and a policy's
/// <c>encrypt:</c>, every problem located. Key material is never written in strata.yaml: secrets are references
/// (<see cref="ConfigurationReader.Secret"/>), refused without being repeated.
/// </summary>
internal static class EncryptionSettingsReader
{
    private static readonly string[] Modes = ["none", "secrets", "all"];

    public static EncryptionSettings Read(ConfigurationReader reader, YamlNode node)
    {
        const string Path = "encryption";
        if (reader.Mapping(node, Path) is not { } map)
        {
            return EncryptionSettings.None;
        }

        reader.OnlyKeys(map, Path, "keys", "signing");
        var keys = reader.List(map, "keys", required: false, ReadKey, Path);
        foreach (var group in keys.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(group.Last().Line, $"{Path}.keys", $"'{group.Key}' is defined more than once (lines {string.Join(", ", group.Select(k => k.Line))})");
        }

        if (reader.Child(map, "keys") is YamlSequenceNode { Children.Count: 0 } empty)
        {
            reader.Error(empty, $"{Path}.keys", "must not be empty (leave 'encryption.keys' out to encrypt nothing)");
        }

        return new EncryptionSettings(keys, ReadSigning(reader, map, Path));
    }

    /// <summary>A policy's <c>encrypt:</c>: none, secrets or all; null when not given.</summary>
    public static EncryptionMode? Mode(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
    {
        if (reader.Child(policy, "encrypt") is not { } node || reader.Scalar(node, $"{policyPath}.encrypt") is not { } text)
        {
            return null;
        }

        switch (text)
        {
            case "none":
                return EncryptionMode.None;
            case "secrets":
                return EncryptionMode.Secrets;
            case "all":
                return EncryptionMode.All;
            default:
                var near = Modes.FirstOrDefault(m => m.Equals(text, StringComparison.OrdinalIgnoreCase));
                reader.Error(node, $"{policyPath}.encrypt", $"'{text}' is not none, secrets (every Secret's values) or all (Secret values and whole dumps and snapshots)"
                    + (near is null ? "" : $"; did you mean '{near}'?"));
                return null;
        }
    }

    /// <summary>A policy that asks for encryption needs a key to wrap its data key with.</summary>
    public static void CheckPolicies(ConfigurationReader reader, EncryptionSettings settings, IReadOnlyList<PolicyDefinition> policies)
    {
        if (settings.Keys.Count > 0)
        {
            return;
        }

        for (var i = 0; i < policies.Count; i++)
        {
            if (policies[i].Encrypt is { } mode and not EncryptionMode.None)
            {
                reader.Error(policies[i].Line, $"policies[{i}].encrypt",
                    $"policy '{policies[i].Name}' asks for 'encrypt: {mode.ToString().ToLowerInvariant()}', and 'encryption.keys' names no key to wrap its data keys with");
            }
        }
    }

    private static KeyEncryptionKeyDefinition? ReadKey(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "keyVault", "file", "secret");
        var name = reader.Child(map, "name") is null ? null : reader.Name(map, path);
        var given = new[] { "keyVault", "file", "secret" }.Where(k => reader.Child(map, k) is not null).ToList();
        if (given.Count != 1)
        {
            reader.Error(map, path, given.Count == 0
                ? "say where the key is: 'keyVault: {vault: V, key: K}', 'file: /path/key.pem' (an RSA key) or 'secret: {env: VARIABLE}' (a base64 AES-256 key)"
                : $"give one of keyVault, file or secret; this key has {string.Join(" and ", given)}");
            return null;
        }

        var keyVault = KeyVaultKey(reader, map, path, "keyVault");
        var file = reader.OptionalString(map, path, "file");
        if (file is { Length: 0 })
        {
            reader.Error(reader.Child(map, "file")!, $"{path}.file", "'file' needs a path to a PEM file");
            file = null;
        }

        var secret = reader.Secret(map, path, "secret", "a key is never written in strata.yaml");
        string? reference = keyVault?.ToString() ?? (file is null ? secret?.ToString() : $"file:{file}");
        if (reference is null)
        {
            return null;
        }

        return new KeyEncryptionKeyDefinition(name ?? reference)
        {
            KeyVault = keyVault,
            File = file,
            Secret = secret,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static SigningKeyDefinition? ReadSigning(ConfigurationReader reader, YamlMappingNode encryption, string encryptionPath)
    {
        var path = $"{encryptionPath}.signing";
        if (reader.Child(encryption, "signing") is not { } node || reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "keyVault", "hmac");
        var given = new[] { "keyVault", "hmac" }.Where(k => reader.Child(map, k) is not null).ToList();
        if (given.Count != 1)
        {
            reader.Error(map, path, given.Count == 0
                ? "say which key signs: 'keyVault: {vault: V, key: K}' (EC P-256 or RSA) or 'hmac: {env: VARIABLE}' (base64, at least 32 bytes)"
                : "give one of keyVault or hmac, not both");
            return null;
        }

        var keyVault = KeyVaultKey(reader, map, path, "keyVault");
        var hmac = reader.Secret(map, path, "hmac", "a signing key is never written in strata.yaml");
        return keyVault is null && hmac is null ? null : new SigningKeyDefinition
        {
            KeyVault = keyVault,
            Hmac = hmac,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    /// <summary><c>{vault: NAME-or-URL, key: NAME, version: VERSION}</c>.</summary>
    private static KeyVaultKeyReference? KeyVaultKey(ConfigurationReader reader, YamlMappingNode parent, string parentPath, string field)
    {
        var path = $"{parentPath}.{field}";
        if (reader.Child(parent, field) is not { } node || reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "vault", "key", "version");
        var vault = reader.OptionalString(map, path, "vault");
        var key = reader.OptionalString(map, path, "key");
        if (string.IsNullOrWhiteSpace(vault) || string.IsNullOrWhiteSpace(key))
        {
            reader.Error(map, path, "needs both 'vault' (name or https URL) and 'key' (the key's name)");
            return null;
        }

        if (vault.Contains("://", StringComparison.Ordinal)
            ? !Uri.TryCreate(vault, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            : !IsVaultName(vault))
        {
            reader.Error(reader.Child(map, "vault")!, $"{path}.vault", $"'{vault}' is not a vault name (3-24 letters, digits or '-') or an https URL");
            return null;
        }

        if (!IsKeyPart(key))
        {
            reader.Error(reader.Child(map, "key")!, $"{path}.key", $"'{key}' is not a key name (letters, digits or '-')");
            return null;
        }

        var version = reader.OptionalString(map, path, "version");
        if (version is not null && !IsKeyPart(version))
        {
            reader.Error(reader.Child(map, "version")!, $"{path}.version", $"'{version}' is not a key version (letters and digits)");
            return null;
        }

        return new KeyVaultKeyReference(vault, key, version);
    }

    private static bool IsVaultName(string name) =>
        name.Length is >= 3 and <= 24 && char.IsAsciiLetter(name[0]) && name[^1] != '-' && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool IsKeyPart(string text) => text.Length is > 0 and <= 127 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
