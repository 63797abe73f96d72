using System.Text.Json;

namespace Strata.Core.Verification;

/// <summary>
/// The identifying fields of one object document — <c>apiVersion</c>, <c>kind</c>, <c>metadata.name</c>,
/// <c>metadata.namespace</c> — read in one forward pass that also proves the whole document is one
/// well-formed JSON object, without building a tree of it (verification reads 100,000s of them).
/// </summary>
/// <param name="ApiVersion">The object's apiVersion.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Namespace">metadata.namespace.</param>
public readonly record struct ObjectIdentity(string? ApiVersion, string? Kind, string? Name, string? Namespace)
{
    /// <summary>Reads <paramref name="json"/>; <see cref="JsonException"/> when it is not exactly one JSON object.</summary>
    public static ObjectIdentity Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the document is not a JSON object");
        }

        string? apiVersion = null, kind = null, name = null, ns = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                apiVersion = StringValue(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                kind = StringValue(ref reader);
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                (name, ns) = Metadata(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // A second top-level value, or anything after the object, fails here.
        if (reader.Read())
        {
            throw new JsonException("more than one JSON value in the document");
        }

        return new ObjectIdentity(apiVersion, kind, name, ns);
    }

    private static string? StringValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static (string? Name, string? Namespace) Metadata(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }

        string? name = null, ns = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                name = StringValue(ref reader);
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                ns = StringValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (name, ns);
    }
}
