using System.Runtime.CompilerServices;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>The shared poll of the backup's VolumeSnapshots, against a cluster whose API is down.</summary>
public sealed class SnapshotWatchTests
{
    [Fact]
    public async Task WaitAsync_ApiDownPastTheDeadline_EndsTheWaiterTimedOut_WithoutPollingFasterThanTheInterval()
    {
        var cluster = new DownCluster();
        var interval = TimeSpan.FromMilliseconds(100);
        var watch = new SnapshotWatch(cluster, "b1", TimeProvider.System, interval);
        using var stop = new CancellationTokenSource();
        var polling = watch.RunAsync(stop.Token);
        var timeout = TimeSpan.FromMilliseconds(500);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var observed = await watch.WaitAsync("shop", "data-strata-b1", null, _ => true, TimeProvider.System.GetUtcNow() + timeout, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(5)); // before the fix: never ends while the API is down
        var took = waited.Elapsed;
        await Task.Delay(300); // the watch, with no one waiting, must not poll on
        await stop.CancelAsync();
        await polling;

        Assert.Equal(SnapshotWaitEnd.TimedOut, observed.End);
        Assert.True(took < timeout + TimeSpan.FromSeconds(1), $"ended after {took}");
        Assert.InRange(cluster.Lists, 1, (int)(waited.Elapsed / interval) + 1);
    }

    [Fact]
    public async Task RunAsync_DeadlineBeforeTheNextPoll_EndsTheWaiterAtItsDeadline_WithoutAnExtraList()
    {
        var cluster = new DownCluster();
        var watch = new SnapshotWatch(cluster, "b1", TimeProvider.System, TimeSpan.FromMinutes(10));
        using var stop = new CancellationTokenSource();
        var polling = watch.RunAsync(stop.Token);

        var observed = await watch.WaitAsync("shop", "data-strata-b1", null, _ => true, TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(200), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await polling;

        Assert.Equal(SnapshotWaitEnd.TimedOut, observed.End);
        Assert.Equal(0, cluster.Lists);
    }

    /// <summary>A cluster whose every LIST fails as an API outage does: transiently.</summary>
    private sealed class DownCluster : IClusterReader
    {
        private int _lists;

        public int Lists => Volatile.Read(ref _lists);

        public Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default) => throw Down();

        public Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default) => throw Down();

        public async IAsyncEnumerable<KubeObject> ListAsync(ApiResource resource, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _lists);
            await Task.Yield();
            throw Down();
#pragma warning disable CS0162 // an iterator needs a yield
            yield break;
#pragma warning restore CS0162
        }

        private static ClusterRequestException Down() => new("the API server is unavailable (503)", 503, "ServiceUnavailable", isTransient: true);
    }
}
