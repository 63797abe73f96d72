using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;

namespace Strata.Functions;

/// <summary>
/// Reads the Functions host's invocation request, <c>{"Data": {...}, "Metadata": {...}}</c>, as
/// the custom-handler documentation describes it.
/// </summary>
public static class HostPayload
{
    /// <summary>
    /// The Service Bus message in <c>Data.message</c>: its body as JSON text (an object, or a JSON
    /// string holding JSON — possibly encoded twice) and its metadata (<c>DeliveryCount</c>,
    /// <c>MessageId</c>, <c>ApplicationProperties</c>/<c>UserProperties</c>). Objects the host adds
    /// that a handler cannot use (<c>MessageActions</c>, <c>MessageReceiver</c>) are ignored.
    /// </summary>
    public static InboundMessage QueueMessage(JsonObject request, string queue, string binding = "message")
    {
        var data = request["Data"] as JsonObject;
        var metadata = request["Metadata"] as JsonObject;
        var body = Body(data?[binding]);
        var properties = (metadata?["ApplicationProperties"] ?? metadata?["UserProperties"]) is JsonObject map
            ? map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => Text(p.Value!), StringComparer.Ordinal)
            : new Dictionary<string, string>();
        return new InboundMessage(queue, body, Text(metadata?["MessageId"]) is { Length: > 0 } id ? id : null, DeliveryCount(metadata?["DeliveryCount"]), properties);
    }

    /// <summary>
    /// The HTTP request in <c>Data.req</c> (<c>Url</c>, <c>Method</c>, <c>Query</c>, <c>Headers</c>, <c>Params</c>,
    /// <c>Identities</c>, <c>Body</c>): method, body text, headers, query, and the name of the function key the host
    /// accepted (its <c>WebJobsAuthLevel</c> identity's <c>keyid</c> claim).
    /// </summary>
    public static HttpInvocation Http(JsonObject request)
    {
        var req = request["Data"]?["req"] as JsonObject;
        var headers = Map(req?["Headers"]);
        var query = Map(req?["Query"]);
        return new HttpInvocation(Text(req?["Method"]) is { Length: > 0 } method ? method : "GET", req?["Body"] is null ? "" : Body(req["Body"]), headers, query)
        {
            FunctionKeyName = KeyName(req?["Identities"]),
        };
    }

    // The host serializes HttpContext.User.Identities: the key check adds one of type WebJobsAuthLevel whose keyid
    // claim names the key (default, master, or one the operator made per caller).
    private static string? KeyName(JsonNode? identities) =>
        (identities as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(i => Text(i["AuthenticationType"]) == "WebJobsAuthLevel")
            .SelectMany(i => i["Claims"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(c => Text(c["Type"]) == KeyIdClaim)
            .Select(c => Text(c["Value"]))
            .FirstOrDefault(v => v.Length is > 0 and <= 128 && v.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'));

    private const string KeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";

    private static string Body(JsonNode? node)
    {
        // A string may hold the JSON itself, or JSON that was encoded as a string once more.
        var text = node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : node?.ToJsonString() ?? "";
        for (var depth = 0; depth < 2 && text.TrimStart().StartsWith('"'); depth++)
        {
            try
            {
                text = JsonSerializer.Deserialize<string>(text) ?? text;
            }
            catch (JsonException)
            {
                break;
            }
        }

        return text;
    }

    private static int DeliveryCount(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<int>(out var number)
            || (value.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number)))
            ? number
            : 1;

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    // Headers and query values arrive as strings, or as arrays of strings.
    private static Dictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject map
            ? map.Where(p => p.Value is not null).ToDictionary(
                p => p.Key, p => p.Value is JsonArray array ? string.Join(",", array.Select(Text)) : Text(p.Value), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>An HTTP request as the host passes it to a custom handler.</summary>
public sealed record HttpInvocation(string Method, string Body, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query)
{
    /// <summary>The name of the function key the host accepted, when its identity says (null for an anonymous function).</summary>
    public string? FunctionKeyName { get; init; }
}
