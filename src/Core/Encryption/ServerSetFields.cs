using System.Text.Json;
using Strata.Core.Artifacts;
using Strata.Core.Restore;

namespace Strata.Core.Encryption;

/// <summary>
/// What <c>strata decrypt</c> (and <c>tools/decrypt/strata_decrypt.py</c>, byte for byte) removes from each object
/// document so that <c>kubectl apply</c> can create it on another cluster: the members the API server sets on its own.
/// The archive keeps objects as they were served, and a create that carries a <c>resourceVersion</c> is refused.
/// Removal works on the document's bytes — each removed member goes with one comma beside it, every other byte stays
/// as stored — so a second implementation in another language writes the same bytes without re-serializing JSON.
/// </summary>
public static class ServerSetFields
{
    /// <summary>How deep objects and arrays may nest; a deeper document is refused (strata_decrypt.py refuses it too).</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// Members of <c>metadata</c> removed: those <see cref="RestoreSanitizer.ServerSetMetadata"/> removes before a
    /// restore creates an object, and <c>ownerReferences</c>, which <c>strata restore</c> keeps only for owners it
    /// restores with them (their new uid); in a plain file every owner uid is the old cluster's.
    /// </summary>
    public static IReadOnlyList<(string Field, string Reason)> Metadata { get; } =
    [
        .. RestoreSanitizer.ServerSetMetadata,
        ("ownerReferences", "names owners by the old cluster's uids: the garbage collector deletes an object none of whose owners exists; controllers that adopt by selector take theirs back"),
    ];

    /// <summary>Top-level members removed.</summary>
    public static IReadOnlyList<(string Field, string Reason)> TopLevel { get; } =
    [
        ("status", "the controllers of the target report it anew; a create ignores or refuses it"),
    ];

    /// <summary>
    /// <paramref name="json"/> without the top-level <see cref="TopLevel"/> members and the <see cref="Metadata"/>
    /// members of its top-level <c>metadata</c> object (every occurrence; a name is compared unescaped). A dropped
    /// member is cut from the first byte of its name to the first byte of the next member's name; the last member of an
    /// object from the end of the last kept member's value before it (or, none kept, from its object's first name) to the
    /// end of its own value. The union of these ranges is removed; a document that is not an object is returned as it is.
    /// </summary>
    /// <exception cref="ArtifactRejectedException">
    /// Not a JSON document (named by <paramref name="entryPath"/>): JSON's grammar broken, nested deeper than
    /// <see cref="MaxDepth"/>, or a name or string that is not Unicode (bytes that are not UTF-8, a lone surrogate escape).
    /// </exception>
    public static byte[] Strip(byte[] json, string entryPath)
    {
        ArgumentNullException.ThrowIfNull(json);
        var removals = new List<(int Start, int End)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                do
                {
                    // Read to the end: a document that is not JSON is refused whatever its first token.
                    Check(ref reader);
                }
                while (reader.Read());

                return json;
            }

            Members(ref reader, topLevel: true, removals);
            while (reader.Read())
            {
                // Trailing content after the object is refused by the reader.
            }
        }
        catch (JsonException e)
        {
            throw new ArtifactRejectedException(entryPath, $"not a JSON document (line {e.LineNumber + 1})", e);
        }
        catch (InvalidOperationException e)
        {
            // The reader checks JSON's grammar, not what its strings spell: Check decodes each, and this is its refusal.
            throw new ArtifactRejectedException(entryPath, $"not a JSON document: the string at byte {reader.TokenStartIndex} is not Unicode (bytes that are not UTF-8, or a lone surrogate escape such as \\ud800)", e);
        }

        if (removals.Count == 0)
        {
            return json;
        }

        removals.Sort();
        var output = new MemoryStream(json.Length);
        var copied = 0;
        foreach (var (start, end) in removals)
        {
            if (start > copied)
            {
                output.Write(json, copied, start - copied);
            }

            copied = Math.Max(copied, end);
        }

        output.Write(json, copied, json.Length - copied);
        return output.ToArray();
    }

    // The members of the object the reader has just entered; leaves the reader on its end.
    private static void Members(ref Utf8JsonReader reader, bool topLevel, List<(int Start, int End)> removals)
    {
        var members = new List<(int NameStart, int ValueEnd, bool Drop)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            Check(ref reader);
            var drop = false;
            foreach (var (field, _) in topLevel ? TopLevel : Metadata)
            {
                // Compared unescaped, without decoding the name into a string.
                drop |= reader.ValueTextEquals(field);
            }

            var isMetadata = topLevel && reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
            {
                Members(ref reader, topLevel: false, removals);
            }
            else
            {
                SkipChecked(ref reader);
            }

            members.Add((nameStart, (int)reader.BytesConsumed, drop));
        }

        for (var i = 0; i < members.Count; i++)
        {
            if (!members[i].Drop)
            {
                continue;
            }

            if (i < members.Count - 1)
            {
                removals.Add((members[i].NameStart, members[i + 1].NameStart));
                continue;
            }

            var kept = members.FindLastIndex(i, m => !m.Drop);
            removals.Add((kept >= 0 ? members[kept].ValueEnd : members[0].NameStart, members[i].ValueEnd));
        }
    }

    // Past the value the reader is on (to its last token), every name and string in it checked.
    private static void SkipChecked(ref Utf8JsonReader reader)
    {
        Check(ref reader);
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            Check(ref reader);
        }
    }

    // A name or string the reader is on decodes to Unicode (else InvalidOperationException): the reader itself takes
    // "\ud800" and bytes that are not UTF-8 as they come, which Python's json and strata_decrypt.py would not agree on.
    private static void Check(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String
            && (reader.ValueIsEscaped || !System.Text.Ascii.IsValid(reader.ValueSpan)))
        {
            _ = reader.GetString();
        }
    }
}
