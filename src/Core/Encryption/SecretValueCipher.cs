using System.Buffers;
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
/// <remarks>
/// A capture seals tens of thousands of values, so the <see cref="SecretValueKey"/> overloads reuse one cipher
/// context, build the token string once and keep the rest in pooled or stack buffers; the <see cref="DataKey"/>
/// overloads set up a context per call.
/// </remarks>
public static class SecretValueCipher
{
    /// <summary>What every token starts with.</summary>
    public const string Prefix = "strata:v1:";

    internal const int NonceSize = 12;
    internal const int TagSize = 16;
    private const int Overhead = NonceSize + TagSize;

    // Associated data up to this many bytes is encoded on the stack (an entry path is ~60–120 bytes).
    private const int StackLimit = 512;

    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly SearchValues<byte> Utf8Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    /// <summary>The associated data of the value at <paramref name="field"/>/<paramref name="name"/> of the document at <paramref name="entryPath"/>.</summary>
    public static string AssociatedData(string entryPath, string field, string name) => $"{entryPath}#{field}/{name}";

    /// <summary>Whether <paramref name="value"/> is a token (by its prefix; <see cref="Decrypt(string, DataKey, string, string, string)"/> checks the rest).</summary>
    public static bool IsToken(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    internal static ReadOnlySpan<byte> Utf8Prefix => "strata:v1:"u8;

    /// <summary>Encrypts <paramref name="plaintext"/>, the value at <paramref name="field"/>/<paramref name="name"/> of <paramref name="entryPath"/>.</summary>
    public static string Encrypt(ReadOnlySpan<byte> plaintext, DataKey key, string entryPath, string field, string name)
    {
        using var values = new SecretValueKey(key);
        return Encrypt(plaintext, values, entryPath, field, name);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> with a cipher context set up once for the backup.</summary>
    public static string Encrypt(ReadOnlySpan<byte> plaintext, SecretValueKey key, string entryPath, string field, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entryPath);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(name);
        var length = Overhead + plaintext.Length;
        var sealedBuffer = ArrayPool<byte>.Shared.Rent(length);
        var aadLength = MaxAssociatedData(entryPath, field, Encoding.UTF8.GetMaxByteCount(name.Length));
        var aadBuffer = aadLength > StackLimit ? ArrayPool<byte>.Shared.Rent(aadLength) : null;
        try
        {
            Span<byte> aad = aadBuffer is null ? stackalloc byte[StackLimit] : aadBuffer;
            aad = aad[..WriteAssociatedData(aad, entryPath, field, name)];
            var sealedValue = sealedBuffer.AsSpan(0, length);
            var nonce = sealedValue[..NonceSize];
            RandomNumberGenerator.Fill(nonce);
            key.Aes.Encrypt(nonce, plaintext, sealedValue.Slice(NonceSize, plaintext.Length), sealedValue[(NonceSize + plaintext.Length)..], aad);
            return string.Create(Prefix.Length + Base64Url.GetEncodedLength(length), sealedValue, static (chars, sealedValue) =>
            {
                Prefix.CopyTo(chars);
                Base64Url.EncodeToChars(sealedValue, chars[Prefix.Length..]);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sealedBuffer);
            if (aadBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(aadBuffer);
            }
        }
    }

    /// <summary>Decrypts a token found at <paramref name="field"/>/<paramref name="name"/> of <paramref name="entryPath"/>.</summary>
    /// <exception cref="ArtifactDecryptionException">Not a well-formed token, or it does not authenticate there with this key (names the entry and place, never the value).</exception>
    public static byte[] Decrypt(string token, DataKey key, string entryPath, string field, string name)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var values = new SecretValueKey(key);
        return Decrypt(token, values, entryPath, field, name);
    }

    /// <summary>Decrypts a token with a cipher context set up once for the backup.</summary>
    /// <exception cref="ArtifactDecryptionException">Not a well-formed token, or it does not authenticate there with this key (names the entry and place, never the value).</exception>
    public static byte[] Decrypt(string token, SecretValueKey key, string entryPath, string field, string name)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entryPath);
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(name);
        if (!IsToken(token))
        {
            throw new ArtifactDecryptionException(entryPath, $"{field}/{name} is not a {Prefix} token");
        }

        var encoded = token.AsSpan(Prefix.Length);
        if (encoded.ContainsAnyExcept(Alphabet) || encoded.Length % 4 == 1)
        {
            throw NotBase64Url(entryPath, $"{field}/{name}");
        }

        var sealedBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64Url.GetMaxDecodedLength(encoded.Length)));
        var aadLength = MaxAssociatedData(entryPath, field, Encoding.UTF8.GetMaxByteCount(name.Length));
        var aadBuffer = aadLength > StackLimit ? ArrayPool<byte>.Shared.Rent(aadLength) : null;
        try
        {
            // Non-zero bits after the last whole byte are not base64url as this format writes it.
            if (Base64Url.DecodeFromChars(encoded, sealedBuffer, out _, out var sealedLength) != OperationStatus.Done)
            {
                throw NotBase64Url(entryPath, $"{field}/{name}");
            }

            var sealedValue = sealedBuffer.AsSpan(0, sealedLength);
            Span<byte> aad = aadBuffer is null ? stackalloc byte[StackLimit] : aadBuffer;
            aad = aad[..WriteAssociatedData(aad, entryPath, field, name)];
            var plaintext = new byte[Math.Max(0, sealedLength - Overhead)];
            Open(key, sealedValue, plaintext, aad, entryPath, field, name, default);
            return plaintext;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sealedBuffer);
            if (aadBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(aadBuffer);
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="encoded"/> — a token's UTF-8 bytes after the prefix, as they stand in the document —
    /// decrypts at <paramref name="field"/>/<paramref name="name"/> (the key's UTF-8 bytes) of
    /// <paramref name="entryPath"/>. The plaintext goes to a pooled buffer that is zeroed before it is returned.
    /// </summary>
    /// <exception cref="ArtifactDecryptionException">As <see cref="Decrypt(string, SecretValueKey, string, string, string)"/>.</exception>
    internal static void Check(ReadOnlySpan<byte> encoded, SecretValueKey key, string entryPath, string field, ReadOnlySpan<byte> name)
    {
        if (encoded.ContainsAnyExcept(Utf8Alphabet) || encoded.Length % 4 == 1)
        {
            throw NotBase64Url(entryPath, Where(field, null, name));
        }

        var maxSealed = Base64Url.GetMaxDecodedLength(encoded.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, 2 * maxSealed));
        var aadLength = MaxAssociatedData(entryPath, field, name.Length);
        var aadBuffer = aadLength > StackLimit ? ArrayPool<byte>.Shared.Rent(aadLength) : null;
        var plaintext = Span<byte>.Empty;
        try
        {
            if (Base64Url.DecodeFromUtf8(encoded, buffer, out _, out var sealedLength) != OperationStatus.Done)
            {
                throw NotBase64Url(entryPath, Where(field, null, name));
            }

            Span<byte> aad = aadBuffer is null ? stackalloc byte[StackLimit] : aadBuffer;
            var at = Encoding.UTF8.GetBytes(entryPath, aad);
            aad[at++] = (byte)'#';
            at += Encoding.UTF8.GetBytes(field, aad[at..]);
            aad[at++] = (byte)'/';
            name.CopyTo(aad[at..]);
            at += name.Length;
            plaintext = buffer.AsSpan(maxSealed, Math.Max(0, sealedLength - Overhead));
            Open(key, buffer.AsSpan(0, sealedLength), plaintext, aad[..at], entryPath, field, null, name);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            ArrayPool<byte>.Shared.Return(buffer);
            if (aadBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(aadBuffer);
            }
        }
    }

    // The place is named by `name`, or by the UTF-8 bytes `utf8Name` (made a string only for a message).
    private static void Open(
        SecretValueKey key, ReadOnlySpan<byte> sealedValue, Span<byte> plaintext, ReadOnlySpan<byte> aad, string entryPath, string field, string? name, ReadOnlySpan<byte> utf8Name)
    {
        if (sealedValue.Length < Overhead)
        {
            throw new ArtifactDecryptionException(entryPath, $"{Where(field, name, utf8Name)} is too short to be a token ({sealedValue.Length} bytes)");
        }

        var length = sealedValue.Length - Overhead;
        try
        {
            key.Aes.Decrypt(sealedValue[..NonceSize], sealedValue.Slice(NonceSize, length), sealedValue[(NonceSize + length)..], plaintext, aad);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new ArtifactDecryptionException(
                entryPath, $"{Where(field, name, utf8Name)} does not authenticate (tampered, moved from another Secret or key, or encrypted with another data key)", e);
        }
    }

    private static ArtifactDecryptionException NotBase64Url(string entryPath, string where) => new(entryPath, $"{where} is not unpadded base64url after {Prefix}");

    private static string Where(string field, string? name, ReadOnlySpan<byte> utf8Name) => $"{field}/{name ?? Encoding.UTF8.GetString(utf8Name)}";

    private static int MaxAssociatedData(string entryPath, string field, int nameBytes) =>
        Encoding.UTF8.GetMaxByteCount(entryPath.Length) + Encoding.UTF8.GetMaxByteCount(field.Length) + 2 + nameBytes;

    // UTF-8 of "{entryPath}#{field}/{name}", piece by piece: the ASCII separators between the pieces mean no character
    // spans two of them, so the bytes are those of the whole string.
    private static int WriteAssociatedData(Span<byte> destination, string entryPath, string field, string name)
    {
        var at = Encoding.UTF8.GetBytes(entryPath, destination);
        destination[at++] = (byte)'#';
        at += Encoding.UTF8.GetBytes(field, destination[at..]);
        destination[at++] = (byte)'/';
        return at + Encoding.UTF8.GetBytes(name, destination[at..]);
    }
}
