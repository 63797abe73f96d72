using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>The alert dispatcher records incidents: one per dedup key, each distinct alert counted once.</summary>
public sealed class AlertDispatcherTests
{
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();

    private Envelope Alert(string id, AlertSeverity severity = AlertSeverity.Critical) => new(id, id, _plane.Clock.GetUtcNow(),
        new AlertRaised(severity, "backup-failed", $"failed ({id})", "backup-failed/nightly/prod", "prod", "nightly"));

    [Fact]
    public async Task Handle_SameIncidentTwice_OneRecordCountedTwice_ARedeliveryCountedOnce()
    {
        await AlertDispatcher.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(Alert("alert-1")));
        _plane.Clock.Advance(TimeSpan.FromDays(1));
        await AlertDispatcher.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(Alert("alert-2", AlertSeverity.Warning)));
        await AlertDispatcher.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(Alert("alert-2", AlertSeverity.Warning), deliveryCount: 2));

        var incident = Assert.Single(await _plane.State.ListAlertsAsync().ToListAsync());
        Assert.Equal((2, AlertSeverity.Warning, "alert-2"), (incident.Count, incident.Severity, incident.LastMessageId));
        Assert.Equal(incident.FirstRaisedAt.AddDays(1), incident.LastRaisedAt);
    }
}
