using Strata.Core.Configuration;

namespace Strata.Core.Alerts;

/// <summary>What the dispatcher does for one channel of one alert, and why.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Action">Trigger or resolve.</param>
/// <param name="Send">Whether to send now (false: deduplicated).</param>
/// <param name="Renotify">Whether it is a re-notification of an incident the channel already knows.</param>
/// <param name="Reason">Why, for the log: <c>new incident</c>, <c>still open after 4h</c>, <c>told 10m ago</c>.</param>
public sealed record PlannedDelivery(AlertChannelDefinition Channel, AlertAction Action, bool Send, bool Renotify, string Reason);
