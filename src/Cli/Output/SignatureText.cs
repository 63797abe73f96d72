using Strata.Core.Artifacts;
using Strata.Core.Encryption;

namespace Strata.Cli.Output;

/// <summary>One line for a manifest's signature and a backup's encryption, as the tables print them.</summary>
internal static class SignatureText
{
    /// <summary><c>valid (key local:hmac:…)</c>, <c>unsigned</c>, <c>INVALID: …</c>, <c>not checked: …</c>; null when nothing was read.</summary>
    public static string? Of(SignatureCheck? check) => check?.State switch
    {
        null => null,
        SignatureState.Valid => $"valid (key {check.Signature?.KeyId}, {check.Signature?.Algorithm})",
        SignatureState.Unsigned => "unsigned",
        SignatureState.Invalid => $"INVALID: {check.Detail}",
        _ => $"not checked: {check.Detail}",
    };

    /// <summary><c>Secret values encrypted (+ 2 artifacts whole), data key wrapped for 2 keys</c>; <c>none</c> for a backup that encrypts nothing.</summary>
    public static string Encryption(BackupManifest manifest) => manifest.Encryption is not { } encryption
        ? "none"
        : (encryption.SecretValues ? "Secret values encrypted" : "nothing encrypted")
            + (encryption.EncryptedArtifacts.Count == 0 ? "" : $" (+ {encryption.EncryptedArtifacts.Count} artifact(s) whole: {string.Join(", ", encryption.EncryptedArtifacts)})")
            + $", data key wrapped for {string.Join(", ", encryption.WrappedKeys.Select(w => w.Name ?? w.KeyId))}";
}
