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
