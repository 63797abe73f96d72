namespace Strata.Core.Messages;

/// <summary>The answer to parsing a message: the envelope, or why it was rejected (with the id and type when they could be read).</summary>
public sealed record MessageParseResult(Envelope? Message, string? Rejection, string? Id, string? Type)
{
    /// <summary>True when the message was accepted.</summary>
    public bool Accepted => Message is not null;
}
