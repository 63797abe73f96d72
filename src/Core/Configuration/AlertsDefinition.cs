using Strata.Core.Messages;

namespace Strata.Core.Configuration;

/// <summary>
/// Where alerts go (<c>alerts:</c> in strata.yaml): the channels, the routes between them, and the status page
/// the messages link to. With channels but no routes, every alert of <see cref="AlertSeverity.Warning"/> or
/// above goes to every channel (info alerts are for the record: they stay in the control state and on
/// the status page), without re-notification.
/// </summary>
/// <param name="Channels">Every channel, names unique.</param>
/// <param name="Routes">The routes as written; may be empty.</param>
/// <param name="StatusPage">The status page, linked from every message; null for none.</param>
public sealed record AlertsDefinition(IReadOnlyList<AlertChannelDefinition> Channels, IReadOnlyList<AlertRouteDefinition> Routes, Uri? StatusPage = null)
{
    /// <summary>No channels: alerts are recorded, and go nowhere.</summary>
    public static AlertsDefinition None { get; } = new([], []);

    /// <summary>The least severity of the route used when none is written.</summary>
    public const AlertSeverity DefaultMinimumSeverity = AlertSeverity.Warning;

    /// <summary>The routes that apply: as written, or the default route to every channel.</summary>
    public IReadOnlyList<AlertRouteDefinition> EffectiveRoutes => Routes.Count > 0 || Channels.Count == 0
        ? Routes
        : [new AlertRouteDefinition { MinimumSeverity = DefaultMinimumSeverity, Channels = [.. Channels.Select(c => c.Name)] }];

    /// <summary>The channel named <paramref name="name"/>, or null.</summary>
    public AlertChannelDefinition? FindChannel(string name) => Channels.FirstOrDefault(c => c.Name == name);
}
