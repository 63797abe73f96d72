using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>The alert channels of a host that wired none: every delivery fails, saying so, and is recorded as a failure of the channel.</summary>
public sealed class UnwiredAlertChannels : IAlertChannels
{
    /// <summary>The one instance.</summary>
    public static UnwiredAlertChannels Instance { get; } = new();

    private UnwiredAlertChannels()
    {
    }

    /// <inheritdoc />
    public Task<AlertDelivery> DeliverAsync(AlertChannelDefinition channel, AlertNotification notification, CancellationToken cancellationToken = default) =>
        Task.FromResult(AlertDelivery.Failed("this host has no alert channels wired in (ControlPlaneContext.AlertChannels)"));
}
