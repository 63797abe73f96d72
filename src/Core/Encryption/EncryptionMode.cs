namespace Strata.Core.Encryption;

/// <summary>What a policy's backups encrypt client-side (<c>encrypt:</c> in strata.yaml).</summary>
public enum EncryptionMode
{
    /// <summary>Nothing: Secret values are stored as the API served them.</summary>
    None,

    /// <summary>Every Secret's <c>data</c> and <c>stringData</c> value (and control-plane private keys); the default when keys are configured.</summary>
    Secrets,

    /// <summary>Secret values, and whole artifacts besides the object archive (database and application dumps, etcd snapshots).</summary>
    All,
}
