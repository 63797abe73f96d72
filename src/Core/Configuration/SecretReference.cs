namespace Strata.Core.Configuration;

/// <summary>A reference to a secret: its source and name (and vault). Printing it shows the reference, not the value.</summary>
/// <param name="Source">Where it lives.</param>
/// <param name="Name">The variable name, file path, or Key Vault secret name.</param>
/// <param name="Vault">The Key Vault name or URL, for <see cref="SecretSource.KeyVault"/>.</param>
public sealed record SecretReference(SecretSource Source, string Name, string? Vault = null)
{
    /// <summary>For people and logs: <c>env:NAME</c>, <c>file:/path</c>, <c>keyVault:vault/secret</c>.</summary>
    public override string ToString() => Source switch
    {
        SecretSource.Environment => $"env:{Name}",
        SecretSource.File => $"file:{Name}",
        _ => $"keyVault:{Vault}/{Name}",
    };
}
