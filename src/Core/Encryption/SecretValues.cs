using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Encryption;

/// <summary>
/// The values of a <c>core/v1</c> Secret that <see cref="SecretValueCipher"/> encrypts: each value of <c>data</c>
/// (its base64 decoded first, the raw bytes encrypted), of <c>stringData</c> (UTF-8), and the
/// <c>kubectl.kubernetes.io/last-applied-configuration</c> annotation (which carries the whole Secret in plaintext
/// when <c>kubectl apply</c> made it). Keys, names and labels stay readable.
/// </summary>
public static class SecretValues
{
    /// <summary>The annotation <c>kubectl apply</c> leaves, holding the object as applied.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>The field name of the annotations in associated data.</summary>
    public const string AnnotationsField = "metadata.annotations";

    /// <summary>Encrypts <paramref name="secret"/>'s values in place; returns how many.</summary>
    /// <exception cref="FormatException">A <c>data</c> value is not base64 (the message names the entry and key).</exception>
    public static int EncryptInPlace(KubeObject secret, string entryPath, DataKey key)
    {
        using var values = new SecretValueKey(key);
        return EncryptInPlace(secret, entryPath, values);
    }

    /// <summary>Encrypts <paramref name="secret"/>'s values in place with a cipher context set up once for the backup; returns how many.</summary>
    /// <exception cref="FormatException">A <c>data</c> value is not base64 (the message names the entry and key).</exception>
    public static int EncryptInPlace(KubeObject secret, string entryPath, SecretValueKey key)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(key);
        var count = 0;
        foreach (var (field, map) in Maps(secret))
        {
            // By index: the keys stay where they are and no list of them is made per Secret.
            for (var i = 0; i < map.Count; i++)
            {
                var (name, node) = map.GetAt(i);
                if (field == AnnotationsField && name != LastAppliedAnnotation || StringOf(node) is not { } value)
                {
                    continue;
                }

                map.SetAt(i, EncryptValue(value, key, entryPath, field, name));
                count++;
            }
        }

        return count;
    }

    /// <summary>Decrypts every value at an encrypted place of <paramref name="secret"/> in place; returns how many. A plain string there is refused.</summary>
    /// <exception cref="ArtifactDecryptionException">A token does not decrypt (names the entry and the field/key, never the value).</exception>
    public static int DecryptInPlace(KubeObject secret, string entryPath, DataKey key)
    {
        ArgumentNullException.ThrowIfNull(secret);
        using var values = new SecretValueKey(key);
        var count = 0;
        foreach (var (field, map) in Maps(secret))
        {
            foreach (var name in map.Select(p => p.Key).ToList())
            {
                if (field == AnnotationsField && name != LastAppliedAnnotation || StringAt(map, name) is not { } value)
                {
                    continue;
                }

                if (!SecretValueCipher.IsToken(value))
                {
                    throw NotEncrypted(entryPath, field, name);
                }

                var plaintext = SecretValueCipher.Decrypt(value, values, entryPath, field, name);
                map[name] = field == "data" ? Convert.ToBase64String(plaintext) : Encoding.UTF8.GetString(plaintext);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The textual form <c>strata decrypt</c> writes: each token string literal at an encrypted place of the document
    /// is replaced by the JSON string literal of its plaintext (for <c>data</c>, standard padded base64 of the bytes;
    /// otherwise the UTF-8 bytes with only <c>"</c>, <c>\</c> and bytes 0x00–0x1F escaped, as <c>\"</c>, <c>\\</c>,
    /// <c>\u00xx</c>); every other byte is unchanged.
    /// </summary>
    /// <exception cref="ArtifactDecryptionException">Not a JSON document, or a token does not decrypt (named, never the value).</exception>
    public static byte[] DecryptDocument(byte[] json, string entryPath, DataKey key)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var values = new SecretValueKey(key);
        var output = new MemoryStream(json.Length);
        var copied = 0;
        var containers = new List<(bool IsObject, string? Name)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers.Add((reader.TokenType == JsonTokenType.StartObject, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.RemoveAt(containers.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        containers[^1] = (true, reader.GetString());
                        break;
                    case JsonTokenType.String when EncryptedPlace(containers) is { } place && reader.GetString() is { } value && SecretValueCipher.IsToken(value):
                        var start = (int)reader.TokenStartIndex;
                        output.Write(json, copied, start - copied);
                        WriteLiteral(output, place.Field, SecretValueCipher.Decrypt(value, values, entryPath, place.Field, place.Name));
                        copied = (int)reader.BytesConsumed;
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new ArtifactDecryptionException(entryPath, $"not a JSON document (line {e.LineNumber + 1})", e);
        }
        catch (InvalidOperationException e)
        {
            // A name or string decoded here that is not Unicode (bytes that are not UTF-8, a lone surrogate escape).
            throw new ArtifactDecryptionException(entryPath, $"not a JSON document: the string at byte {reader.TokenStartIndex} is not Unicode", e);
        }

        output.Write(json, copied, json.Length - copied);
        return output.ToArray();
    }

    /// <summary>
    /// Checks that every token at an encrypted place of <paramref name="json"/> (the places
    /// <see cref="DecryptDocument"/> replaces) decrypts, reading the document once without building a tree of it; each
    /// plaintext goes to a pooled buffer, zeroed at once. Returns how many tokens decrypted. What verification runs.
    /// </summary>
    /// <exception cref="ArtifactDecryptionException">Not a JSON document, or a token does not decrypt (the first such, named, never the value).</exception>
    public static int CheckDocument(ReadOnlySpan<byte> json, string entryPath, SecretValueKey key)
    {
        ArgumentNullException.ThrowIfNull(entryPath);
        ArgumentNullException.ThrowIfNull(key);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var count = 0;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return 0;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    count += CheckMap(ref reader, "data", entryPath, key);
                }
                else if (reader.ValueTextEquals("stringData"u8))
                {
                    count += CheckMap(ref reader, "stringData", entryPath, key);
                }
                else if (reader.ValueTextEquals("metadata"u8))
                {
                    count += CheckMetadata(ref reader, entryPath, key);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            throw new ArtifactDecryptionException(entryPath, $"not a JSON document (line {e.LineNumber + 1})", e);
        }
        catch (InvalidOperationException e)
        {
            // A name or string decoded here that is not Unicode (bytes that are not UTF-8, a lone surrogate escape).
            throw new ArtifactDecryptionException(entryPath, $"not a JSON document: the string at byte {reader.TokenStartIndex} is not Unicode", e);
        }

        return count;
    }

    // Every value of the object that follows (data or stringData).
    private static int CheckMap(ref Utf8JsonReader reader, string field, string entryPath, SecretValueKey key)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // The key's bytes as written (a slice of the document), or unescaped when the writer escaped them.
            ReadOnlySpan<byte> name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            reader.Read();
            if (CheckValue(ref reader, field, name, entryPath, key))
            {
                count++;
            }
        }

        return count;
    }

    // The last-applied annotation of the metadata object that follows.
    private static int CheckMetadata(ref Utf8JsonReader reader, string entryPath, SecretValueKey key)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isLastApplied = reader.ValueTextEquals(LastAppliedAnnotationUtf8);
                reader.Read();
                if (!isLastApplied)
                {
                    reader.Skip();
                }
                else if (CheckValue(ref reader, AnnotationsField, LastAppliedAnnotationUtf8, entryPath, key))
                {
                    count++;
                }
            }
        }

        return count;
    }

    // Whether the value the reader is on is a token (then it must decrypt); a plain string is refused, any other value skipped.
    private static bool CheckValue(ref Utf8JsonReader reader, string field, ReadOnlySpan<byte> name, string entryPath, SecretValueKey key)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return false;
        }

        if (reader.ValueIsEscaped)
        {
            // No writer of ours escapes a token (its alphabet needs none); read it as a string like any other reader.
            var value = reader.GetString()!;
            if (!SecretValueCipher.IsToken(value))
            {
                throw NotEncrypted(entryPath, field, Encoding.UTF8.GetString(name));
            }

            CryptographicOperations.ZeroMemory(SecretValueCipher.Decrypt(value, key, entryPath, field, Encoding.UTF8.GetString(name)));
            return true;
        }

        var span = reader.ValueSpan;
        if (!span.StartsWith(SecretValueCipher.Utf8Prefix))
        {
            throw NotEncrypted(entryPath, field, Encoding.UTF8.GetString(name));
        }

        SecretValueCipher.Check(span[SecretValueCipher.Utf8Prefix.Length..], key, entryPath, field, name);
        return true;
    }

    // Capture encrypts every string value at an encrypted place, so a plain one was put there afterwards.
    private static ArtifactDecryptionException NotEncrypted(string entryPath, string field, string name) =>
        new(entryPath, $"{field}/{name} is not encrypted, though this backup encrypts every Secret value: it was changed after the backup was written");

    private static ReadOnlySpan<byte> LastAppliedAnnotationUtf8 => "kubectl.kubernetes.io/last-applied-configuration"u8;

    private static string EncryptValue(string value, SecretValueKey key, string entryPath, string field, string name)
    {
        // The plaintext goes to a pooled buffer, zeroed before it goes back: data's decoded bytes, or the string's UTF-8.
        var isData = field == "data";
        var max = isData ? value.Length / 4 * 3 + 3 : Encoding.UTF8.GetMaxByteCount(value.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        var used = max;
        try
        {
            int length;
            if (isData)
            {
                if (!Convert.TryFromBase64String(value, buffer, out length))
                {
                    throw new FormatException($"'{entryPath}': data/{name} is not base64, so it cannot be encrypted as bytes");
                }
            }
            else
            {
                length = used = Encoding.UTF8.GetBytes(value, buffer);
            }

            return SecretValueCipher.Encrypt(buffer.AsSpan(0, length), key, entryPath, field, name);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static ReadOnlySpan<byte> LowerHex => "0123456789abcdef"u8;

    // data.K and stringData.K of the top-level object, and metadata.annotations[last-applied].
    private static (string Field, string Name)? EncryptedPlace(List<(bool IsObject, string? Name)> containers) => containers switch
    {
        [(true, "data" or "stringData"), (true, { } name)] => (containers[0].Name!, name),
        [(true, "metadata"), (true, "annotations"), (true, LastAppliedAnnotation)] => (AnnotationsField, LastAppliedAnnotation),
        _ => null,
    };

    private static void WriteLiteral(MemoryStream output, string field, byte[] plaintext)
    {
        output.WriteByte((byte)'"');
        if (field == "data")
        {
            output.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(plaintext)));
        }
        else
        {
            foreach (var b in plaintext)
            {
                switch (b)
                {
                    case (byte)'"' or (byte)'\\':
                        output.WriteByte((byte)'\\');
                        output.WriteByte(b);
                        break;
                    case < 0x20:
                        output.Write("\\u00"u8);
                        output.WriteByte(LowerHex[b >> 4]);
                        output.WriteByte(LowerHex[b & 0xF]);
                        break;
                    default:
                        output.WriteByte(b);
                        break;
                }
            }
        }

        output.WriteByte((byte)'"');
    }

    private static IEnumerable<(string Field, JsonObject Map)> Maps(KubeObject secret)
    {
        foreach (var field in (string[])["data", "stringData"])
        {
            if (secret.Json[field] is JsonObject map)
            {
                yield return (field, map);
            }
        }

        if (secret.Json["metadata"] is JsonObject metadata && metadata["annotations"] is JsonObject annotations)
        {
            yield return (AnnotationsField, annotations);
        }
    }

    private static string? StringAt(JsonObject map, string name) =>
        map[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
