using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>strata-alerts</c> worker. Records each alert as an incident (deduplicated by its key);
/// delivery to Slack, Teams, PagerDuty and signed webhooks arrives with the alerting issue.
/// </summary>
public static class AlertDispatcher
{
    /// <summary>Handles one <c>strata-alerts</c> message.</summary>
    public static async Task<FunctionResult> HandleAsync(ControlPlaneContext context, InboundMessage message, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        if (await MessageIntake.ReadAsync<AlertRaised>(context, message, result, cancellationToken) is not { } envelope)
        {
            return result;
        }

        var incident = await context.State.RecordAlertAsync(envelope, context.Time.GetUtcNow(), cancellationToken);
        var alert = (AlertRaised)envelope.Payload;
        result.Log($"alert {alert.Severity.ToString().ToLowerInvariant()} {alert.Kind} [{incident.DedupKey}] ×{incident.Count}: {alert.Summary}");
        return result;
    }
}
