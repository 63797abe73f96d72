using Strata.Core.Alerts;
using Strata.Core.ControlPlane;
using Strata.Core.Freshness;
using Strata.Core.Runs;
using Strata.TestKit;

namespace Strata.Dashboard.Tests;

/// <summary>The world the status page's browser test reads: the control plane judges it as the world intends.</summary>
public sealed class FleetWorldTests
{
    [Fact]
    public async Task StartAsync_ThirtyHoursOfTheControlPlane_LeavesEachPairInItsIntendedState()
    {
        await using var world = await FleetWorld.StartAsync();

        var status = await StatusReport.BuildAsync(world.Context);

        var states = status.Protection.ToDictionary(p => (p.Cluster, p.Policy), p => p.RpoState);
        Assert.Equal(new Dictionary<(string, string), RecoveryPointState>
        {
            [("prod-eu", "nightly")] = RecoveryPointState.Ok,
            [("prod-us", "nightly")] = RecoveryPointState.AtRisk,
            [("staging", "nightly")] = RecoveryPointState.Breached,
            [("edge", "hourly")] = RecoveryPointState.Pending,
        }, states);
        Assert.All(FleetWorld.ExpectedStates.Where(e => e.Value == "none"), e => Assert.DoesNotContain(e.Key, states.Keys));

        var backups = await world.BackupsAsync();
        Assert.Equal(3, backups.Count(b => (b.Cluster, b.Policy) == FleetWorld.FreshPair && b.Status == BackupStatus.Verified));
        var grown = backups.Where(b => (b.Cluster, b.Policy) == FleetWorld.FreshPair).OrderBy(b => b.StartedAt).Select(b => b.ObjectCount).ToList();
        Assert.True(grown[0] < grown[1] && grown[1] < grown[2], "the application grows between backups: " + string.Join(", ", grown));
        Assert.Equal(BackupStatus.VerificationFailed, Assert.Single(backups, b => b.Cluster == "edge").Status);
        Assert.Contains(backups, b => b.Cluster == "staging" && b.Status == BackupStatus.Failed);

        var drills = await world.DrillsAsync();
        Assert.Equal(3, drills.Count);
        Assert.All(drills, d => Assert.True((d.Cluster, d.Policy, d.Status) == ("prod-eu", "nightly", DrillStatus.Passed) && d.RtoSeconds > 0, $"{d.Id}: {d.Status}, RTO {d.RtoSeconds}"));
        Assert.All(drills, d => Assert.InRange(d.StartedAt, FleetWorld.Start, world.Clock.GetUtcNow()));
        Assert.True(drills.Select(d => d.RtoSeconds).Distinct().Count() == 3, "the cluster rolls out at another pace each time: RTOs " + string.Join(", ", drills.Select(d => d.RtoSeconds)));

        var breach = Assert.Single(status.Alerts, a => a.DedupKey == RecoveryPointObjectives.DedupKey("nightly", "staging"));
        Assert.Equal(IncidentStatus.Open, breach.Status);
        Assert.Contains(status.Alerts, a => a.Kind == "verification-failed" && a.Cluster == "edge" && a.Status == IncidentStatus.Open);
    }
}
