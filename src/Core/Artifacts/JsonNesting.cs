using System.Text.Json;

namespace Strata.Core.Artifacts;

/// <summary>How deep a JSON document nests, found without building it or recursing.</summary>
internal static class JsonNesting
{
    /// <summary>
    /// Whether <paramref name="json"/> opens more than <paramref name="maxDepth"/> arrays and objects inside each other
    /// before it stops being valid JSON (a document malformed before that point does not exceed it).
    /// </summary>
    public static bool Exceeds(ReadOnlySpan<byte> json, int maxDepth)
    {
        // The reader's own limit one above ours, so that ours is the one met; Utf8JsonReader does not recurse.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }
}
