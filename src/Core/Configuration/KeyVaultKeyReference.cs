namespace Strata.Core.Configuration;

/// <summary>A key in Azure Key Vault: <c>{keyVault: {vault: V, key: K, version: X}}</c> in strata.yaml.</summary>
/// <param name="Vault">The vault's name (public cloud) or URL.</param>
/// <param name="Key">The key's name.</param>
/// <param name="Version">A pinned version; null uses the current one (and records which in each wrapping or signature).</param>
public sealed record KeyVaultKeyReference(string Vault, string Key, string? Version = null)
{
    /// <summary>For people and logs: <c>keyVault:vault/key[/version]</c>.</summary>
    public override string ToString() => $"keyVault:{Vault}/{Key}" + (Version is null ? "" : $"/{Version}");
}
