using Strata.Core.Alerts;
using Strata.Core.Messages;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>
/// The <c>strata-alerts</c> worker: records each <see cref="AlertRaised"/> in its incident (deduplicated by key)
/// and each <see cref="AlertResolved"/> as the incident's end, then delivers to the channels the routes name
/// (<see cref="AlertRouting"/>), as <see cref="AlertDeliveryPlan"/> decides — all channels at once, so a slow or
/// failing one never holds up the others. A failed delivery is recorded in the channel's health and the message is
/// still completed: the channel adapter has already retried what was worth retrying, and the freshness pass raises
/// the incident again (or sends its resolve again) until every channel has been told (it was never marked as told),
/// whereas redelivering the message would only repeat the same failure on the same schedule. Storage failures do throw (redelivery is then safe: channels already
/// told are not told twice). A message the dispatcher rejects is recorded and its alert dispatched here, in process:
/// the dispatcher has no binding to its own queue.
/// </summary>
public static class AlertDispatcher
{
    /// <summary>Handles one <c>strata-alerts</c> message.</summary>
    public static async Task<FunctionResult> HandleAsync(ControlPlaneContext context, InboundMessage message, CancellationToken cancellationToken = default)
    {
        var result = new FunctionResult();
        var intake = new FunctionResult();
        var envelope = await MessageIntake.ReadAsync<MessagePayload>(context, message, intake, cancellationToken);
        if (envelope is { Payload: not (AlertRaised or AlertResolved) })
        {
            await MessageIntake.RejectAsync(context, message, envelope.Id, envelope.Type,
                $"a {envelope.Type} message does not belong on queue {message.Queue} (it takes AlertRaised and AlertResolved)", intake, cancellationToken);
            envelope = null;
        }

        foreach (var line in intake.Logs)
        {
            result.Log(line);
        }

        if (intake.Rejection is { } rejection)
        {
            result.Reject(rejection);
        }

        // The rejection's own alert: dispatched here, not sent to strata-alerts (this function cannot write there).
        foreach (var alert in intake.Messages)
        {
            await DispatchAsync(context, alert, result, cancellationToken);
        }

        if (envelope is not null)
        {
            await DispatchAsync(context, envelope, result, cancellationToken);
        }

        return result;
    }

    /// <summary>Records <paramref name="alert"/> (an <see cref="AlertRaised"/> or <see cref="AlertResolved"/>) and delivers it where it goes.</summary>
    public static async Task DispatchAsync(ControlPlaneContext context, Envelope alert, FunctionResult result, CancellationToken cancellationToken = default)
    {
        var now = context.Time.GetUtcNow();
        var alerts = context.Configuration.Alerts;
        if (alert.Payload is AlertResolved resolved)
        {
            if (await context.State.ResolveAlertAsync(alert, now, cancellationToken) is not { } closed)
            {
                result.Log($"resolve [{resolved.DedupKey}]: no such incident; nothing to do");
                return;
            }

            var resolves = AlertDeliveryPlan.ForResolved(closed, alerts);
            var resolvedNotification = AlertNotification.Resolved(alert, closed, alerts.StatusPage, now);
            var resolvedOutcomes = await DeliverAsync(context, resolves, _ => resolvedNotification, now, cancellationToken);
            var told = resolvedOutcomes.Where(o => o.Delivery.Delivered).Select(o => closed.Notifications.Single(n => n.Channel == o.Plan.Channel.Name) with { ResolvedAt = now }).ToList();
            await RecordAsync(context, closed.DedupKey, told, cancellationToken);
            result.Log($"resolved [{closed.DedupKey}]: {resolved.Summary}{Describe(resolves, resolvedOutcomes)}");
            return;
        }

        var raised = (AlertRaised)alert.Payload;
        var incident = await context.State.RecordAlertAsync(alert, now, cancellationToken);
        var plan = AlertDeliveryPlan.ForRaised(incident, AlertRouting.ChannelsFor(context.Configuration, incident.Severity, raised.Cluster, raised.Policy), now);
        var outcomes = await DeliverAsync(context, plan.Where(p => p.Send).ToList(),
            p => AlertNotification.Raised(alert, incident, p.Renotify, alerts.StatusPage, now), now, cancellationToken);
        await RecordAsync(context, incident.DedupKey,
            [.. outcomes.Where(o => o.Delivery.Delivered).Select(o => new ChannelNotification(o.Plan.Channel.Name, now, incident.Severity))], cancellationToken);
        result.Log($"alert {raised.Severity.ToString().ToLowerInvariant()} {raised.Kind} [{incident.DedupKey}] ×{incident.Count}: {raised.Summary}{Describe(plan, outcomes)}");
    }

    private static async Task<IReadOnlyList<(PlannedDelivery Plan, AlertDelivery Delivery)>> DeliverAsync(
        ControlPlaneContext context, IReadOnlyList<PlannedDelivery> plan, Func<PlannedDelivery, AlertNotification> notification, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(plan.Select(async p =>
        {
            AlertDelivery delivery;
            try
            {
                delivery = await context.AlertChannels.DeliverAsync(p.Channel, notification(p), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Adapters return failures rather than throw; a bug in one must not take the other channels down.
                // Its type only: an exception message could carry a URL.
                delivery = AlertDelivery.Failed($"the channel failed unexpectedly ({e.GetType().Name})");
            }

            return (p, delivery);
        }));
        foreach (var (p, delivery) in outcomes)
        {
            await context.State.RecordDeliveryAsync(p.Channel.Name, now, delivery.Delivered ? null : delivery.ToString(), cancellationToken);
        }

        return outcomes;
    }

    private static async Task RecordAsync(ControlPlaneContext context, string dedupKey, IReadOnlyList<ChannelNotification> told, CancellationToken cancellationToken)
    {
        if (told.Count > 0)
        {
            await context.State.RecordNotificationsAsync(dedupKey, told, cancellationToken);
        }
    }

    private static string Describe(IReadOnlyList<PlannedDelivery> plan, IReadOnlyList<(PlannedDelivery Plan, AlertDelivery Delivery)> outcomes)
    {
        if (plan.Count == 0)
        {
            return "; no channel";
        }

        var byChannel = outcomes.ToDictionary(o => o.Plan.Channel.Name, o => o.Delivery, StringComparer.Ordinal);
        return "; " + string.Join("; ", plan.Select(p => byChannel.TryGetValue(p.Channel.Name, out var d)
            ? $"{p.Channel.Name}: {(d.Delivered ? "delivered" : "FAILED")} {d} ({p.Reason})"
            : $"{p.Channel.Name}: {p.Reason}"));
    }
}
