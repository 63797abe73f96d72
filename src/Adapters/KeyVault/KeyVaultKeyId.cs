using System.Diagnostics.CodeAnalysis;
using Strata.Adapters.Secrets;
using Strata.Core.Configuration;

namespace Strata.Adapters.KeyVault;

/// <summary>
/// A Key Vault key's identifier, the <c>kid</c> the vault answers with: <c>https://VAULT/keys/NAME[/VERSION]</c>.
/// A configured <see cref="KeyVaultKeyReference"/> becomes one with <see cref="From"/>; a kid read from a manifest
/// with <see cref="TryParse"/>. Names compare case-insensitively, as the vault compares them.
/// </summary>
/// <param name="Vault">The vault's base URI, ending in <c>/</c>.</param>
/// <param name="Name">The key's name.</param>
/// <param name="Version">The version; null means the key's current version.</param>
public sealed record KeyVaultKeyId(Uri Vault, string Name, string? Version = null)
{
    /// <summary>The identifier for a configured key: the vault name (public cloud) or URL, the key, and any pinned version.</summary>
    public static KeyVaultKeyId From(KeyVaultKeyReference key) => new(SecretResolver.VaultUri(key.Vault), key.Key, key.Version);

    /// <summary>Parses a kid; a clear <see cref="FormatException"/> when it is not one.</summary>
    public static KeyVaultKeyId Parse(string kid) =>
        TryParse(kid, out var id) ? id : throw new FormatException($"'{kid}' is not a Key Vault key identifier (https://VAULT/keys/NAME[/VERSION])");

    /// <summary>Parses a kid: an absolute HTTPS URI whose path is <c>/keys/NAME</c> or <c>/keys/NAME/VERSION</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? kid, [NotNullWhen(true)] out KeyVaultKeyId? id)
    {
        id = null;
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is not (2 or 3) || !segments[0].Equals("keys", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        id = new KeyVaultKeyId(new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), Uri.UnescapeDataString(segments[1]), segments.Length == 3 ? Uri.UnescapeDataString(segments[2]) : null);
        return true;
    }

    /// <summary>This key at <paramref name="version"/>.</summary>
    public KeyVaultKeyId WithVersion(string? version) => this with { Version = version };

    /// <summary>Whether both name the same key in the same vault (versions aside).</summary>
    public bool IsSameKey(KeyVaultKeyId other) =>
        Uri.Compare(Vault, other.Vault, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The URI of <paramref name="operation"/> on this key (<c>wrapkey</c>, <c>sign</c>, …; empty for the key itself).</summary>
    public Uri OperationUri(string operation, string apiVersion)
    {
        var path = "keys/" + Uri.EscapeDataString(Name) + (Version is null ? "" : "/" + Uri.EscapeDataString(Version)) + (operation.Length == 0 ? "" : "/" + operation);
        return new Uri(Vault, path + "?api-version=" + Uri.EscapeDataString(apiVersion));
    }

    /// <summary>The kid: <c>https://VAULT/keys/NAME[/VERSION]</c>.</summary>
    public override string ToString() => new Uri(Vault, "keys/" + Uri.EscapeDataString(Name) + (Version is null ? "" : "/" + Uri.EscapeDataString(Version))).ToString();
}
