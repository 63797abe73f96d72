using Strata.Core.Alerts;
using Strata.Core.Configuration;

namespace Strata.Core.Ports;

/// <summary>
/// Sends alerts to the services on-call uses (Slack, Teams, PagerDuty, signed webhooks). Each call is one
/// delivery to one channel, retried inside as the service allows; the outcome is returned, never thrown, so one
/// failing channel never stops the others or the dispatcher.
/// </summary>
public interface IAlertChannels
{
    /// <summary>Delivers <paramref name="notification"/> to <paramref name="channel"/>; says how it went (the answer has no secret in it).</summary>
    Task<AlertDelivery> DeliverAsync(AlertChannelDefinition channel, AlertNotification notification, CancellationToken cancellationToken = default);
}
