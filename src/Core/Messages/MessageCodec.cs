using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Strata.Core.Messages;

/// <summary>Reads and writes envelopes. Strict: unknown fields, wrong types, unknown message types and newer versions are rejected with a reason.</summary>
public static class MessageCodec
{
    private static readonly Dictionary<string, MessageType> Types = new MessageType[]
    {
        new("BackupRequested", 1, typeof(BackupRequested), MessageJson.Default.BackupRequested),
        new("BackupCompleted", 1, typeof(BackupCompleted), MessageJson.Default.BackupCompleted),
        new("VerifyRequested", 1, typeof(VerifyRequested), MessageJson.Default.VerifyRequested),
        new("RestoreRequested", 1, typeof(RestoreRequested), MessageJson.Default.RestoreRequested),
        new("AlertRaised", 1, typeof(AlertRaised), MessageJson.Default.AlertRaised),
        new("AlertResolved", 1, typeof(AlertResolved), MessageJson.Default.AlertResolved),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly string[] EnvelopeFields = ["type", "version", "id", "correlationId", "createdAt", "payload"];

    /// <summary>The longest id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Every message type and the version this Strata writes (and the newest it reads).</summary>
    public static IEnumerable<(string Name, int Version)> KnownTypes => Types.Values.Select(t => (t.Name, t.Version));

    internal static MessageType TypeOf(MessagePayload payload) =>
        Types.Values.FirstOrDefault(t => t.Clr == payload.GetType()) ?? throw new ArgumentException($"{payload.GetType().Name} is not a message payload");

    /// <summary>The envelope as a JSON object (what goes into a queue).</summary>
    public static JsonObject ToJson(Envelope envelope)
    {
        var type = TypeOf(envelope.Payload);
        return new JsonObject
        {
            ["type"] = type.Name,
            ["version"] = type.Version,
            ["id"] = envelope.Id,
            ["correlationId"] = envelope.CorrelationId,
            ["createdAt"] = envelope.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["payload"] = JsonSerializer.SerializeToNode(envelope.Payload, type.TypeInfo),
        };
    }

    /// <summary>The envelope as JSON text.</summary>
    public static string Serialize(Envelope envelope) => ToJson(envelope).ToJsonString();

    /// <summary>Parses JSON text.</summary>
    public static MessageParseResult Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            return new MessageParseResult(null, $"not JSON: {e.Message}", null, null);
        }
        catch (ArgumentException)
        {
            // JsonDocument transcodes the text to UTF-8 first; an unpaired surrogate cannot be (found by fuzzing).
            return new MessageParseResult(null, "not JSON: the text holds an unpaired UTF-16 surrogate", null, null);
        }
    }

    /// <summary>Parses an envelope already read as JSON.</summary>
    public static MessageParseResult Parse(JsonElement root)
    {
        try
        {
            return ParseElement(root);
        }
        catch (InvalidOperationException)
        {
            // A string escaping half a surrogate pair (\ud800) reads as JSON but not as text (found by fuzzing).
            return new MessageParseResult(null, "a string or field name holds an unpaired UTF-16 surrogate escape", null, null);
        }
    }

    private static MessageParseResult ParseElement(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new MessageParseResult(null, $"expected a JSON object (an envelope), found {root.ValueKind.ToString().ToLowerInvariant()}", null, null);
        }

        string? id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        string? typeName = root.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : null;
        MessageParseResult Reject(string reason) => new(null, reason, id, typeName);

        foreach (var property in root.EnumerateObject())
        {
            if (!EnvelopeFields.Contains(property.Name, StringComparer.Ordinal))
            {
                return Reject($"unknown envelope field '{property.Name}' (expected {string.Join(", ", EnvelopeFields)})");
            }
        }

        if (typeName is null)
        {
            return Reject("type is required (a string such as \"BackupRequested\")");
        }

        if (!Types.TryGetValue(typeName, out var type))
        {
            return Reject($"unknown message type '{typeName}' (known: {string.Join(", ", Types.Keys)})");
        }

        if (!root.TryGetProperty("version", out var versionElement) || versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version) || version < 1)
        {
            return Reject("version is required (a whole number, 1 or more)");
        }

        if (version > type.Version)
        {
            return Reject($"{typeName} version {version} is newer than this Strata reads ({type.Version})");
        }

        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            return Reject($"id is required (a string of 1 to {MaxIdLength} characters)");
        }

        var correlationId = id;
        if (root.TryGetProperty("correlationId", out var correlationElement) && correlationElement.ValueKind != JsonValueKind.Null)
        {
            correlationId = correlationElement.ValueKind == JsonValueKind.String ? correlationElement.GetString() : null;
            if (string.IsNullOrWhiteSpace(correlationId) || correlationId.Length > MaxIdLength)
            {
                return Reject($"correlationId must be a string of 1 to {MaxIdLength} characters");
            }
        }

        if (!root.TryGetProperty("createdAt", out var createdElement) || createdElement.ValueKind != JsonValueKind.String
            || !createdElement.TryGetDateTimeOffset(out var createdAt))
        {
            return Reject("createdAt is required (an ISO 8601 time with offset, e.g. 2026-11-21T10:00:00Z)");
        }

        if (!root.TryGetProperty("payload", out var payloadElement) || payloadElement.ValueKind != JsonValueKind.Object)
        {
            return Reject("payload is required (a JSON object)");
        }

        MessagePayload? payload;
        try
        {
            payload = (MessagePayload?)payloadElement.Deserialize(type.TypeInfo);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? "payload" + path[1..] : "payload";
            return Reject($"{where}: {Reason(e)}");
        }

        if (payload is null)
        {
            return Reject("payload is required (a JSON object)");
        }

        return payload.Validate() is { } invalid
            ? Reject(invalid)
            : new MessageParseResult(new Envelope(id, correlationId!, createdAt, payload), null, id, typeName);
    }

    // System.Text.Json's messages name .NET types; say it in the message's own terms.
    private static string Reason(JsonException e) => e.Message switch
    {
        var m when m.Contains("could not be mapped", StringComparison.Ordinal) => "unknown field",
        var m when m.Contains("missing required properties", StringComparison.Ordinal) =>
            "missing required field" + (m.IndexOf("including: ", StringComparison.Ordinal) is var i and >= 0 ? "s " + m[(i + 11)..].TrimEnd('.') : ""),
        var m when m.Contains("null", StringComparison.OrdinalIgnoreCase) => "must not be null",
        _ => "wrong type or value",
    };

    internal sealed record MessageType(string Name, int Version, Type Clr, JsonTypeInfo TypeInfo);
}
