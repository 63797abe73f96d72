using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Core.Encryption;

/// <summary>
/// One Secret value as a token: <c>strata:v1:</c> + base64url without padding of nonce(12) ‖ ciphertext ‖ tag(16),
/// AES-256-GCM under the backup's data key with a random nonce. The associated data,
/// <c>{entryPath}#{field}/{key}</c>, ties the token to its archive entry and place, so a token moved to another
/// Secret or key does not decrypt.
/// </summary>
public static class SecretValueCipher
{
    /// <summary>What every token starts with.</summary>
    public const string Prefix = "strata:v1:";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly System.Buffers.SearchValues<char> Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The associated data of the value at <paramref name="field"/>/<paramref name="name"/> of the document at <paramref name="entryPath"/>.</summary>
    public static string AssociatedData(string entryPath, string field, string name) => $"{entryPath}#{field}/{name}";

    /// <summary>Whether <paramref name="value"/> is a token (by its prefix; <see cref="Decrypt"/> checks the rest).</summary>
    public static bool IsToken(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Encrypts <paramref name="plaintext"/>, the value at <paramref name="field"/>/<paramref name="name"/> of <paramref name="entryPath"/>.</summary>
    public static string Encrypt(ReadOnlySpan<byte> plaintext, DataKey key, string entryPath, string field, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sealedValue = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(NonceSize, plaintext.Length), sealedValue.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(AssociatedData(entryPath, field, name)));
        return Prefix + Base64Url.EncodeToString(sealedValue);
    }

    /// <summary>Decrypts a token found at <paramref name="field"/>/<paramref name="name"/> of <paramref name="entryPath"/>.</summary>
    /// <exception cref="ArtifactDecryptionException">Not a well-formed token, or it does not authenticate there with this key (names the entry and place, never the value).</exception>
    public static byte[] Decrypt(string token, DataKey key, string entryPath, string field, string name)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(key);
        var where = $"{field}/{name}";
        if (!IsToken(token))
        {
            throw new ArtifactDecryptionException(entryPath, $"{where} is not a {Prefix} token");
        }

        var encoded = token.AsSpan(Prefix.Length);
        if (encoded.ContainsAnyExcept(Alphabet) || encoded.Length % 4 == 1)
        {
            throw new ArtifactDecryptionException(entryPath, $"{where} is not unpadded base64url after {Prefix}");
        }

        var sealedValue = Base64Url.DecodeFromChars(encoded);

        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new ArtifactDecryptionException(entryPath, $"{where} is too short to be a token ({sealedValue.Length} bytes)");
        }

        var length = sealedValue.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize, length), sealedValue.AsSpan(NonceSize + length), plaintext, Encoding.UTF8.GetBytes(AssociatedData(entryPath, field, name)));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ArtifactDecryptionException(entryPath, $"{where} does not authenticate (tampered, moved from another Secret or key, or encrypted with another data key)", e);
        }

        return plaintext;
    }
}
