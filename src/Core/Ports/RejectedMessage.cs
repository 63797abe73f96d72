namespace Strata.Core.Ports;

/// <summary>A message that could not be used, kept whole so that nothing is lost.</summary>
/// <param name="Key">Unique per delivery of the message: its message id, or a hash of its body.</param>
/// <param name="Queue">Where it arrived.</param>
/// <param name="MessageId">The Service Bus message id, if known.</param>
/// <param name="EnvelopeId">The envelope's id, when it could be read.</param>
/// <param name="Type">The envelope's type, when it could be read.</param>
/// <param name="Reason">Why it was rejected, naming the field.</param>
/// <param name="ReceivedAt">When.</param>
/// <param name="DeliveryCount">Which delivery it was.</param>
/// <param name="Body">The body as received (up to 64 KiB).</param>
public sealed record RejectedMessage(
    string Key, string Queue, string? MessageId, string? EnvelopeId, string? Type, string Reason, DateTimeOffset ReceivedAt, int DeliveryCount, string Body);
