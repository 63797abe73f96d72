using Strata.Adapters.Hosting;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>
/// The local runner end to end: strata.yaml with two sandbox clusters → ticks → backups → run
/// records and alerts; then one cluster down (its failure recorded and alerted, the other unaffected).
/// </summary>
public sealed class LocalRunnerTests : IAsyncLifetime
{
    private readonly List<string> _log = [];

    /// <summary>The log so far, copied under its lock: the timers keep writing while a test reads it.</summary>
    private List<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private LocalRunner Runner(int maxDeliveries = 10) => new(_world.Context, new LocalRunnerOptions
    {
        TimerPeriods = new Dictionary<string, TimeSpan> { ["schedule-tick"] = TimeSpan.FromMilliseconds(50) },
        FirstBackoff = TimeSpan.FromMilliseconds(10),
        MaxDeliveries = maxDeliveries,
        DeadLetterFolder = Path.Combine(_world.Dir.Path, "dead-letter"),
    }, line => { lock (_log) { _log.Add(line); } });

    private async Task<List<BackupRecord>> WaitForBackupsAsync(Func<List<BackupRecord>, bool> done)
    {
        for (var i = 0; i < 400; i++)
        {
            var records = await _world.Location.History.ListBackupsAsync().ToListAsync();
            if (done(records))
            {
                return records;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("backups did not appear; log:\n" + string.Join('\n', Log));
    }

    [Fact]
    public async Task Ticks_RunBackupsOnBothClusters_ThenOneClusterFails_AndIsAlerted()
    {
        using var stop = new CancellationTokenSource();
        var runner = Runner();
        var running = runner.RunAsync(stop.Token);
        await Task.Delay(200); // a few ticks: the policy is first seen, nothing is due yet
        Assert.Empty(await _world.Location.History.ListBackupsAsync().ToListAsync());

        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var first = await WaitForBackupsAsync(r => r.Count == 2 && r.All(b => b.Status is not (BackupStatus.InProgress or BackupStatus.Succeeded)));
        Assert.All(first, b => Assert.Equal(BackupStatus.Verified, b.Status)); // backed up, then verified by the verify worker
        Assert.Equal(["dr", "prod"], first.Select(b => b.Cluster).Order());
        await Task.Delay(300); // more ticks in the same minute create nothing
        Assert.Equal(2, (await _world.Location.History.ListBackupsAsync().ToListAsync()).Count);

        await _world.Dr.DisposeAsync();
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        await WaitForBackupsAsync(r => r.Count == 4 && r.All(b => b.Status != BackupStatus.InProgress));
        stop.Cancel();
        await running;

        var second = await _world.Location.History.ListBackupsAsync().ToListAsync();
        var latest = second.Where(b => !first.Any(f => f.Id == b.Id)).ToList();
        Assert.Equal(BackupStatus.Verified, latest.Single(b => b.Cluster == "prod").Status);
        var failed = latest.Single(b => b.Cluster == "dr");
        Assert.Equal(BackupStatus.Failed, failed.Status);
        // The coverage timer ran at start too (prod's sample claim is unprotected): its warning is another incident.
        var incidents = await _world.Context.State.ListAlertsAsync().ToListAsync();
        Assert.Equal("coverage-unprotected/prod", Assert.Single(incidents, i => i.Kind == Core.ControlPlane.CoverageSweep.Kind).DedupKey);
        var incident = Assert.Single(incidents, i => i.Kind != Core.ControlPlane.CoverageSweep.Kind);
        Assert.Equal("backup-failed/minutely/dr", incident.DedupKey);
        Assert.Equal(AlertSeverity.Critical, incident.Severity);
        Assert.Equal(failed.Id, incident.RunId);
        Assert.Equal(0, runner.Pending);
        Assert.Contains(Log, l => l.Contains("stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingHandler_IsRetriedWithBackoff_ThenDeadLettered()
    {
        // The run record this request would find is unreadable: every delivery fails before anything is recorded.
        var request = new Envelope("ci-1", "ci-1", _world.Clock.GetUtcNow(), new BackupRequested("prod", "minutely"));
        Directory.CreateDirectory(Path.Combine(_world.Store, "history", "backups"));
        File.WriteAllText(Path.Combine(_world.Store, "history", "backups", BackupWorker.BackupIdFor(request) + ".json"), "{ broken");
        using var stop = new CancellationTokenSource();
        var runner = Runner(maxDeliveries: 3);

        var running = runner.RunAsync(stop.Token);
        runner.Enqueue(request);
        for (var i = 0; i < 400 && runner.Pending > 0; i++)
        {
            await Task.Delay(100);
        }

        stop.Cancel();
        await running;
        var deadLetters = Directory.GetFiles(Path.Combine(_world.Dir.Path, "dead-letter"));
        Assert.Contains("ci-1", File.ReadAllText(Assert.Single(deadLetters)));
        Assert.Equal(2, Log.Count(l => l.Contains("redelivering", StringComparison.Ordinal)));
        Assert.Contains(Log, l => l.Contains("dead-lettered after 3 deliveries", StringComparison.Ordinal));
    }
}
