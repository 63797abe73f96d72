using Strata.Core.Messages;

namespace Strata.Core.Ports;

/// <summary>
/// That a channel was told about an incident (delivered, not only tried): when, at what severity, and whether it
/// has been told the incident resolved. Deduplication and re-notification are decided from these.
/// </summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="NotifiedAt">When it last received the incident.</param>
/// <param name="Severity">The severity it was last told.</param>
/// <param name="ResolvedAt">When it received the resolve, once it has.</param>
public sealed record ChannelNotification(string Channel, DateTimeOffset NotifiedAt, AlertSeverity Severity, DateTimeOffset? ResolvedAt = null);
