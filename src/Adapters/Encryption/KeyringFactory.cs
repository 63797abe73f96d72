using Azure.Core;
using Strata.Adapters.KeyVault;
using Strata.Core.Configuration;
using Strata.Core.Encryption;
using Strata.Core.Ports;

namespace Strata.Adapters.Encryption;

/// <summary>
/// Builds the <see cref="Keyring"/> strata.yaml's <c>encryption:</c> describes — a Key Vault key (wrapKey/unwrapKey over
/// REST with the app's identity), an RSA PEM file (read now: a public key only wraps), a secret holding an AES-256 key
/// (read on first use) — and the keys the command line names (<c>--key</c>): <c>file:PATH</c> (an RSA PEM key, or a
/// file holding a base64 AES key), <c>env:VARIABLE</c> (a base64 AES key), <c>keyVault:VAULT/KEY[/VERSION]</c>.
/// </summary>
public static class KeyringFactory
{
    /// <summary>
    /// The keyring of <paramref name="configuration"/>; a <see cref="ConfigurationException"/> locates a key file that
    /// cannot be read or is not an RSA key. One <see cref="KeyVaultKeys"/> client serves every Key Vault key.
    /// </summary>
    public static Keyring Create(
        StrataConfiguration configuration, ISecretValues secrets, Func<TokenCredential> credential, KeyVaultKeysOptions? keyVaultOptions = null)
    {
        var settings = configuration.Encryption;
        if (settings.Keys.Count == 0 && settings.Signing is null)
        {
            return Keyring.None;
        }

        KeyVaultKeys? vault = null;
        KeyVaultKeys Vault() => vault ??= new KeyVaultKeys(credential(), keyVaultOptions);
        var keys = new List<IKeyEncryptionKey>();
        var errors = new List<ConfigurationError>();
        for (var i = 0; i < settings.Keys.Count; i++)
        {
            var definition = settings.Keys[i];
            try
            {
                keys.Add(definition switch
                {
                    { KeyVault: { } key } => new KeyVaultKeyEncryptionKey(definition.Name, key, Vault()),
                    { File: { } file } => LocalRsaKeyEncryptionKey.FromPemFile(definition.Name, file),
                    { Secret: { } secret } => new LocalAesKeyEncryptionKey(definition.Name, secret, secrets),
                    _ => throw new KeyUnwrapException($"key '{definition.Name}' says nowhere where it is"),
                });
            }
            catch (KeyUnwrapException e)
            {
                errors.Add(new ConfigurationError(configuration.Source, definition.Line, 1, $"encryption.keys[{i}]", e.Message));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(configuration.Source, errors);
        }

        IManifestSigner? signer = settings.Signing switch
        {
            { KeyVault: { } key } => new KeyVaultManifestSigner(key, Vault()),
            { Hmac: { } hmac } => new HmacManifestSigner(hmac, secrets),
            _ => null,
        };
        return new Keyring(keys, signer);
    }

    /// <summary>
    /// A key named on the command line: <c>file:PATH</c>, <c>env:VARIABLE</c> or <c>keyVault:VAULT/KEY[/VERSION]</c>; a
    /// <see cref="KeyUnwrapException"/> says what is wrong with the reference (never a key's bytes).
    /// </summary>
    public static IKeyEncryptionKey FromReference(string reference, ISecretValues secrets, Func<TokenCredential> credential, KeyVaultKeysOptions? keyVaultOptions = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        var (scheme, rest) = colon > 0 ? (reference[..colon], reference[(colon + 1)..]) : ("", reference);
        switch (scheme)
        {
            case "file" when rest.Length > 0:
                return IsPem(rest)
                    ? LocalRsaKeyEncryptionKey.FromPemFile(reference, rest)
                    : new LocalAesKeyEncryptionKey(reference, new SecretReference(SecretSource.File, rest), secrets);
            case "env" when rest.Length > 0:
                return new LocalAesKeyEncryptionKey(reference, new SecretReference(SecretSource.Environment, rest), secrets);
            case "keyVault" when rest.Split('/') is [{ Length: > 0 } vault, { Length: > 0 } key, .. var version] && version.Length <= 1:
                return new KeyVaultKeyEncryptionKey(reference,
                    new KeyVaultKeyReference(vault, key, version is [{ Length: > 0 } v] ? v : null), new KeyVaultKeys(credential(), keyVaultOptions));
            default:
                throw new KeyUnwrapException(
                    $"'{reference}' is not a key reference: file:/path/key.pem (RSA) or file:/path/aes.key (base64 AES-256), env:VARIABLE (base64 AES-256), keyVault:VAULT/KEY[/VERSION]");
        }
    }

    /// <summary>Whether the file holds PEM (an RSA key) rather than a base64 AES key; a file that cannot be read is left to the AES key to report.</summary>
    private static bool IsPem(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var head = new char[256];
            var read = reader.ReadBlock(head, 0, head.Length);
            return new string(head, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase);
        }
    }
}
