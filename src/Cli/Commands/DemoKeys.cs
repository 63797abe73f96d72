using System.Security.Cryptography;
using Strata.Adapters.Encryption;
using Strata.Core.Encryption;

namespace Strata.Cli.Commands;

/// <summary>
/// The demo's keys, made fresh for each run: a local AES-256 key-encryption key and an HMAC signing key, held in
/// variables its strata.yaml references (never written into it), so the demo shows Secret values encrypted, manifests
/// signed, and restores that decrypt.
/// </summary>
internal static class DemoKeys
{
    /// <summary>The variable the key-encryption key (base64) is read from.</summary>
    public const string KekVariable = "STRATA_DEMO_KEK";

    /// <summary>The variable the signing key (base64) is read from.</summary>
    public const string SigningVariable = "STRATA_DEMO_SIGNING_KEY";

    private static readonly byte[] Kek = RandomNumberGenerator.GetBytes(DataKey.Size);
    private static readonly byte[] Signing = RandomNumberGenerator.GetBytes(32);

    /// <summary>strata.yaml's <c>encryption:</c> for the demo.</summary>
    public static string Section => $$"""
        encryption:
          keys:
            - name: demo-kek
              secret: { env: {{KekVariable}} }
          signing:
            hmac: { env: {{SigningVariable}} }

        """;

    /// <summary>The same keys, for the parts that run without strata.yaml.</summary>
    public static Keyring Keyring { get; } = new([LocalAesKeyEncryptionKey.FromBytes("demo-kek", Kek)], HmacManifestSigner.FromBytes(Signing));

    /// <summary>The value of one of the demo's key variables; null for any other name.</summary>
    public static string? Variable(string name) => name switch
    {
        KekVariable => Convert.ToBase64String(Kek),
        SigningVariable => Convert.ToBase64String(Signing),
        _ => null,
    };
}
