using Azure.Core;

namespace Strata.Adapters.KeyVault;

/// <summary>
/// How <see cref="KeyVaultKeys"/> talks to Key Vault. Defaults: <see cref="ApiVersion"/> <c>7.4</c>; three retries,
/// exponential from 0.8 s (Azure.Core retries 408, 429, 500, 502, 503, 504 and network failures, honouring
/// <c>Retry-After</c>); bodies never logged; challenge resources verified. <see cref="ClientOptions.Transport"/> is how
/// tests reach a fake vault.
/// </summary>
public sealed class KeyVaultKeysOptions : ClientOptions
{
    /// <summary>The api-version every call uses (wrapkey, unwrapkey, sign and get key are all in 7.4).</summary>
    public const string DefaultApiVersion = "7.4";

    /// <summary>Creates options with the defaults.</summary>
    public KeyVaultKeysOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromSeconds(0.8);
        Retry.MaxDelay = TimeSpan.FromSeconds(30);
        Diagnostics.IsLoggingContentEnabled = false;
        Diagnostics.ApplicationId = "strata";
    }

    /// <summary>The REST api-version; default <see cref="DefaultApiVersion"/>.</summary>
    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>
    /// When false (the default) a 401 challenge is followed only if the resource it names is the vault's own domain
    /// (<c>vault.azure.net</c> for <c>*.vault.azure.net</c>), so a host cannot have the identity fetch a token for
    /// another audience. Set it for a vault behind a name outside its cloud's domain (and for loopback fakes).
    /// </summary>
    public bool DisableChallengeResourceVerification { get; set; }
}
