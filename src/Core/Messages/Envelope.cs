namespace Strata.Core.Messages;

/// <summary>
/// A message between Strata's functions, or from another system: a versioned envelope
/// (<c>type</c>, <c>version</c>, <c>id</c>, <c>correlationId</c>, <c>createdAt</c>) around a payload.
/// The id makes handling idempotent; the correlation id ties a chain of messages together.
/// </summary>
/// <param name="Id">Unique per message; a redelivered or replayed message keeps its id.</param>
/// <param name="CorrelationId">The id of the message (or request) that started the chain.</param>
/// <param name="CreatedAt">When the message was made.</param>
/// <param name="Payload">What it says.</param>
public sealed record Envelope(string Id, string CorrelationId, DateTimeOffset CreatedAt, MessagePayload Payload)
{
    /// <summary>The payload's type name, e.g. <c>BackupRequested</c>.</summary>
    public string Type => MessageCodec.TypeOf(Payload).Name;

    /// <summary>The payload's schema version.</summary>
    public int Version => MessageCodec.TypeOf(Payload).Version;

    /// <summary>A message that follows from this one: same correlation id.</summary>
    public Envelope FollowedBy(string id, DateTimeOffset createdAt, MessagePayload payload) => new(id, CorrelationId, createdAt, payload);
}
