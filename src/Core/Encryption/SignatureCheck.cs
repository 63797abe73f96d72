namespace Strata.Core.Encryption;

/// <summary>The outcome of checking a backup's manifest signature.</summary>
/// <param name="State">What it says.</param>
/// <param name="Signature">The signature read, if any.</param>
/// <param name="Detail">One line for people.</param>
public sealed record SignatureCheck(SignatureState State, ManifestSignature? Signature, string Detail)
{
    /// <summary>A backup without a signature.</summary>
    public static SignatureCheck Unsigned { get; } = new(SignatureState.Unsigned, null, "the manifest is not signed");
}
