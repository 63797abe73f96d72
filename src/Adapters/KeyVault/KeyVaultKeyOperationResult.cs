namespace Strata.Adapters.KeyVault;

/// <summary>What <c>wrapKey</c>, <c>unwrapKey</c> and <c>sign</c> answer: the key that did it (its kid, with the version) and the bytes.</summary>
/// <param name="KeyId">The kid, with the version the vault used.</param>
/// <param name="Value">The wrapped key, the unwrapped key, or the signature.</param>
public sealed record KeyVaultKeyOperationResult(string KeyId, byte[] Value);
