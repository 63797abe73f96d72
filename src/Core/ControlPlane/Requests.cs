using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Configuration;
using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Requests that arrive over HTTP or from the CLI rather than on a queue: a whole envelope, or just a
/// payload, which is wrapped in an envelope whose id is the caller's idempotency key (or one the host
/// made). Checked as the worker will check it, so a bad request is refused at once with the reason.
/// </summary>
public static class Requests
{
    /// <summary>The envelope a request body asks to send, or the reason it is refused.</summary>
    /// <param name="body">A JSON payload, or a whole envelope.</param>
    /// <param name="messageId">The id a bare payload's envelope gets (the idempotency key, or a new id).</param>
    /// <param name="now">When the request arrived.</param>
    /// <param name="configuration">strata.yaml, to refuse an unknown cluster or policy.</param>
    public static (Envelope? Envelope, string? Error) Read<T>(string body, string messageId, DateTimeOffset now, StrataConfiguration configuration)
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
            json = new JsonObject
            {
                ["type"] = type.Name,
                ["version"] = type.Version,
                ["id"] = messageId,
                ["correlationId"] = messageId,
                ["createdAt"] = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                ["payload"] = json,
            };
        }

        return Check<T>(MessageCodec.Parse(json.ToJsonString()), configuration);
    }

    /// <summary>
    /// The envelope for <paramref name="payload"/> under <paramref name="messageId"/>, checked as the
    /// worker checks it (and against <paramref name="configuration"/> when there is one), or the reason it
    /// would be refused.
    /// </summary>
    public static (Envelope? Envelope, string? Error) Create<T>(T payload, string messageId, DateTimeOffset now, StrataConfiguration? configuration)
        where T : MessagePayload =>
        Check<T>(MessageCodec.Parse(MessageCodec.Serialize(new Envelope(messageId, messageId, now, payload))), configuration);

    private static (Envelope? Envelope, string? Error) Check<T>(MessageParseResult parsed, StrataConfiguration? configuration)
        where T : MessagePayload
    {
        if (!parsed.Accepted)
        {
            return (null, parsed.Rejection);
        }

        if (parsed.Message!.Payload is not T)
        {
            return (null, $"expected a {typeof(T).Name}, not a {parsed.Type}");
        }

        var error = (configuration, parsed.Message.Payload) switch
        {
            (null, _) => null,
            (_, BackupRequested backup) => BackupWorker.Refusal(configuration, backup),
            (_, RestoreRequested restore) => RestoreWorker.Refusal(configuration, restore),
            _ => null,
        };
        return error is null ? (parsed.Message, null) : (null, error);
    }
}
