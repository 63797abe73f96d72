namespace Strata.Core.Encryption;

/// <summary>What a backup's manifest signature says.</summary>
public enum SignatureState
{
    /// <summary>No <c>manifest.sig</c> (a backup from before signing, or a policy without a signing key).</summary>
    Unsigned,

    /// <summary>Signed by a key Strata holds, and the signature matches the manifest's bytes.</summary>
    Valid,

    /// <summary>The signature does not match: the manifest (or the signature) was changed after signing.</summary>
    Invalid,

    /// <summary>Signed by a key Strata does not hold, so it cannot be checked.</summary>
    UnknownKey,

    /// <summary>The signer failed while checking it (a Key Vault outage, a secret that cannot be read): it is not known to be valid.</summary>
    Unverifiable,
}
