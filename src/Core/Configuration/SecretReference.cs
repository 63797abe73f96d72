namespace Strata.Core.Configuration;

/// <summary>Where a secret comes from. Configuration names the place, never the value.</summary>
public enum SecretSource
{
    /// <summary>An environment variable (an app setting, in Azure Functions).</summary>
    Environment,

    /// <summary>A file, e.g. a mounted Kubernetes secret or a projected token.</summary>
    File,

    /// <summary>A secret in Azure Key Vault, read with the app's Entra ID identity.</summary>
    KeyVault,
}

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
