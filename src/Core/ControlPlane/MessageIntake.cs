using System.Security.Cryptography;
using System.Text;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Reads a queue message into an envelope of the expected type. A message that can never be used
/// (malformed, unknown, wrong queue, naming a cluster or policy that does not exist) is recorded as
/// rejected — body kept whole — and raises an alert; the caller completes it, so it is not
/// redelivered to fail again.
/// </summary>
public static class MessageIntake
{
    private const int MaxKeptBody = 64 * 1024;

    /// <summary>The envelope, or null after recording the rejection in <paramref name="result"/> and the state.</summary>
    public static async Task<Envelope?> ReadAsync<T>(ControlPlaneContext context, InboundMessage message, FunctionResult result, CancellationToken cancellationToken)
        where T : MessagePayload
    {
        var parsed = MessageCodec.Parse(message.Body);
        if (!parsed.Accepted)
        {
            await RejectAsync(context, message, parsed.Id, parsed.Type, parsed.Rejection!, result, cancellationToken);
            return null;
        }

        if (parsed.Message!.Payload is not T)
        {
            await RejectAsync(context, message, parsed.Id, parsed.Type,
                $"a {parsed.Type} message does not belong on queue {message.Queue} (it takes {typeof(T).Name})", result, cancellationToken);
            return null;
        }

        return parsed.Message;
    }

    /// <summary>Records <paramref name="message"/> as rejected for <paramref name="reason"/> and raises a <c>message-rejected</c> alert.</summary>
    public static async Task RejectAsync(
        ControlPlaneContext context, InboundMessage message, string? envelopeId, string? type, string reason, FunctionResult result, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var key = message.MessageId ?? envelopeId ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Body)))[..32];
        var body = message.Body.Length > MaxKeptBody ? message.Body[..MaxKeptBody] : message.Body;
        var recorded = await context.State.RecordRejectedAsync(
            new RejectedMessage(key, message.Queue, message.MessageId, envelopeId, type, reason, now, message.DeliveryCount, body), cancellationToken);
        var what = $"message {key}" + (type is null ? "" : $" ({type})") + $" on {message.Queue}";
        result.Log($"rejected {what}: {reason}");
        result.Reject(reason);
        if (!recorded)
        {
            return; // a redelivery of a message already rejected: the alert went out the first time
        }

        var alertId = $"alert-message-rejected-{key}";
        result.Send(new Envelope(alertId.Length <= MessageCodec.MaxIdLength ? alertId : alertId[..MessageCodec.MaxIdLength], envelopeId ?? key, now,
            new AlertRaised(AlertSeverity.Warning, "message-rejected", $"Rejected {what}: {reason}", $"message-rejected/{message.Queue}",
                Details: new Dictionary<string, string> { ["queue"] = message.Queue, ["reason"] = reason, ["key"] = key })));
    }
}
