using System.Security.Cryptography;
using System.Text;

namespace Strata.Core.Encryption;

/// <summary>
/// The data key's check value, kept in the signed manifest (<see cref="EncryptionRecord.KeyCheck"/>): base64 of
/// HMAC-SHA256(data key, UTF-8 <c>strata:v1:key-check</c>). A sidecar under <c>keys/</c> is not signed, and anyone with a
/// public key-encryption key can wrap a key of their choice; an unwrapped key that does not match the check is not this
/// backup's data key, and is passed over.
/// </summary>
public static class KeyCheckValue
{
    private static readonly byte[] Label = Encoding.UTF8.GetBytes("strata:v1:key-check");

    /// <summary>The check value of <paramref name="key"/>.</summary>
    public static string Of(DataKey key) => Convert.ToBase64String(HMACSHA256.HashData(key.Bytes, Label));

    /// <summary>Whether <paramref name="key"/> matches <paramref name="check"/> (compared in constant time; false when the check is not base64).</summary>
    public static bool Matches(DataKey key, string check)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(check, expected, out var written) || written != expected.Length)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key.Bytes, Label, actual);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
