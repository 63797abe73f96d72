namespace Strata.Adapters.KeyVault;

/// <summary>
/// The public part of a key version, from <c>GET key</c> (a JSON Web Key): RSA keys carry <see cref="N"/> and
/// <see cref="E"/>, EC keys <see cref="Curve"/>, <see cref="X"/> and <see cref="Y"/>. Read tolerantly: a field the
/// vault did not send is null.
/// </summary>
/// <param name="KeyId">The kid, with its version.</param>
/// <param name="KeyType"><c>RSA</c>, <c>RSA-HSM</c>, <c>EC</c>, <c>EC-HSM</c>, <c>oct</c>, …</param>
public sealed record KeyVaultPublicKey(string KeyId, string KeyType)
{
    /// <summary>The EC curve: <c>P-256</c>, <c>P-384</c>, <c>P-521</c>, <c>P-256K</c>.</summary>
    public string? Curve { get; init; }

    /// <summary>RSA modulus.</summary>
    public byte[]? N { get; init; }

    /// <summary>RSA public exponent.</summary>
    public byte[]? E { get; init; }

    /// <summary>EC x coordinate.</summary>
    public byte[]? X { get; init; }

    /// <summary>EC y coordinate.</summary>
    public byte[]? Y { get; init; }

    /// <summary>Whether the key is RSA (software or HSM).</summary>
    public bool IsRsa => KeyType is "RSA" or "RSA-HSM" && N is not null && E is not null;

    /// <summary>Whether the key is EC on NIST P-256 (software or HSM).</summary>
    public bool IsEcP256 => KeyType is "EC" or "EC-HSM" && Curve == "P-256" && X is not null && Y is not null;
}
