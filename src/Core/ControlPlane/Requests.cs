using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Requests that arrive over HTTP (or the CLI) rather than on a queue: the body is a whole envelope,
/// or just a payload, which is wrapped in one whose id is the caller's idempotency key (or new).
/// Checked as the worker will check it, so a bad request is refused at once with the reason.
/// </summary>
public static class Requests
{
    /// <summary>The envelope to send, or the reason the request is refused.</summary>
    public static (Envelope? Envelope, string? Error) Read<T>(string body, string? idempotencyKey, DateTimeOffset now, Configuration.StrataConfiguration configuration)
        where T : MessagePayload
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON: {e.Message}");
        }

        if (node is not JsonObject json)
        {
            return (null, "the body must be a JSON object: a payload, or a whole envelope");
        }

        var type = MessageCodec.KnownTypes.First(t => t.Name == typeof(T).Name);
        if (!json.ContainsKey("payload"))
        {
            var id = string.IsNullOrWhiteSpace(idempotencyKey) ? $"http-{Guid.NewGuid():N}" : idempotencyKey;
            json = new JsonObject
            {
                ["type"] = type.Name,
                ["version"] = type.Version,
                ["id"] = id,
                ["correlationId"] = id,
                ["createdAt"] = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                ["payload"] = json,
            };
        }

        var parsed = MessageCodec.Parse(json.ToJsonString());
        if (!parsed.Accepted)
        {
            return (null, parsed.Rejection);
        }

        if (parsed.Message!.Payload is not T)
        {
            return (null, $"expected a {type.Name}, not a {parsed.Type}");
        }

        var error = parsed.Message.Payload switch
        {
            BackupRequested backup => BackupWorker.Refusal(configuration, backup),
            RestoreRequested restore => RestoreWorker.Refusal(configuration, restore),
            _ => null,
        };
        return error is null ? (parsed.Message, null) : (null, error);
    }
}
