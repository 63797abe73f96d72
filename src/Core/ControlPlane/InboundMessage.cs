namespace Strata.Core.ControlPlane;

/// <summary>A message as a queue trigger delivers it.</summary>
/// <param name="Queue">The queue it came from.</param>
/// <param name="Body">The body, as text (JSON).</param>
/// <param name="MessageId">The broker's message id, if any.</param>
/// <param name="DeliveryCount">1 for the first delivery.</param>
/// <param name="ApplicationProperties">The broker's application properties, as text.</param>
public sealed record InboundMessage(string Queue, string Body, string? MessageId = null, int DeliveryCount = 1, IReadOnlyDictionary<string, string>? ApplicationProperties = null);
