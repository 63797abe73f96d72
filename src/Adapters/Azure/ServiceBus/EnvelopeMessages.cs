using Azure.Messaging.ServiceBus;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>
/// Envelopes as Service Bus messages: the body is the envelope's JSON; <c>MessageId</c> is the envelope
/// id (the queue's duplicate detection drops a resend, and the workers are idempotent by it),
/// <c>CorrelationId</c> and <c>Subject</c> (the message type) let people and filters follow a chain.
/// </summary>
public static class EnvelopeMessages
{
    /// <summary>The content type of every message Strata sends.</summary>
    public const string ContentType = "application/json";

    /// <summary>The message to send for <paramref name="envelope"/>.</summary>
    public static ServiceBusMessage ToMessage(Envelope envelope) => new(BinaryData.FromString(MessageCodec.Serialize(envelope)))
    {
        MessageId = envelope.Id,
        CorrelationId = envelope.CorrelationId,
        Subject = envelope.Type,
        ContentType = ContentType,
    };

    /// <summary>A received message as the workers take it (the body is parsed, strictly, by the worker).</summary>
    public static InboundMessage ToInbound(string queue, ServiceBusReceivedMessage message) => new(
        queue,
        message.Body.ToString(),
        message.MessageId,
        message.DeliveryCount,
        message.ApplicationProperties.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.Ordinal));
}
