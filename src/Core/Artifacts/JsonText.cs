using System.Text.Json;
using System.Text.Unicode;

namespace Strata.Core.Artifacts;

/// <summary>
/// Whether a document's bytes are text every JSON reader can turn into strings: valid UTF-8, and no escaped half of a
/// surrogate pair (<c>\ud800</c>), on which <see cref="Utf8JsonReader.GetString"/> throws
/// <see cref="InvalidOperationException"/> long after the parse succeeded. The common case costs two vectorized scans.
/// </summary>
internal static class JsonText
{
    /// <summary>Why <paramref name="json"/> is not readable text, or null.</summary>
    public static string? Problem(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return "the document is not valid UTF-8 (JSON text must be)";
        }

        return MayEscapeSurrogates(json) && !StringsRead(json)
            ? "a string in the document escapes half a surrogate pair (not valid text)"
            : null;
    }

    private static bool MayEscapeSurrogates(ReadOnlySpan<byte> json)
    {
        int at;
        while ((at = json.IndexOf("\\u"u8)) >= 0)
        {
            json = json[(at + 2)..];
            if (json.Length >= 2 && (json[0] | 0x20) == 'd' && (json[1] | 0x20) is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StringsRead(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON is for the document's readers to report; only the strings before it count here.
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return true;
    }
}
