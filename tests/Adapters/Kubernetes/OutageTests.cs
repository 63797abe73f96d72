using System.Diagnostics;
using Strata.Adapters.Kubernetes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Sandbox;
using Strata.Sandbox.Http;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// An API server that goes away and comes back (a restart, a control-plane upgrade) costs time,
/// not objects: the sandbox really stops listening on its port and listens again, same data and CA.
/// </summary>
public class OutageTests : IAsyncLifetime
{
    private const int Objects = 1200;
    private static readonly ApiResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true, ["list", "get", "create"]);
    private static readonly KubernetesClientOptions Fast = new()
    {
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        OutageBudget = TimeSpan.FromSeconds(20),
        MaxRetries = 2,
    };

    private readonly SandboxFixture _sandbox = new();

    private SandboxApiServer Server => _sandbox.Server;

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        Server.CreateNamespace("shop");
        for (var i = 0; i < Objects; i++)
        {
            Server.Create(SampleApplication.Obj("v1", "ConfigMap", "shop", $"cm-{i:D5}"));
        }
    }

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task List_ApiServerRestartsMidList_ResumesFromTheContinueTokenWithEveryObjectOnce()
    {
        var restart = Server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", OnlyContinuations = true, Kind = FaultKind.Restart, Delay = TimeSpan.FromSeconds(1.5) });
        using var client = _sandbox.Client(options: Fast);
        var clock = Stopwatch.StartNew();

        var names = await client.ListAsync(ConfigMaps, new ListRequest("shop", PageSize: 100)).Select(o => o.Name).ToListAsync();

        Assert.True(restart.Hits > 0);
        Assert.Equal(Objects, names.Count);
        Assert.Equal(Objects, names.Distinct().Count());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"finished after {clock.Elapsed}, while the server was down");
        Assert.True(Server.IsListening);
    }

    [Fact]
    public async Task List_RestartCompactsTheSnapshot_RestartsTheListCleanly()
    {
        using var client = _sandbox.Client(options: Fast);
        var names = new List<string>();

        await foreach (var item in client.ListAsync(ConfigMaps, new ListRequest("shop", PageSize: 100)))
        {
            names.Add(item.Name);
            if (names.Count == 100)
            {
                // Down for a moment, and the store behind the API server compacted meanwhile: the continue token answers 410.
                await Server.StopListeningAsync();
                Server.Store.Compact();
                _ = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(_ => Server.ResumeListeningAsync(), TaskScheduler.Default);
            }
        }

        Assert.Equal(Objects, names.Count);
        Assert.Equal(Objects, names.Distinct().Count());
    }

    [Fact]
    public async Task List_DownLongerThanTheOutageBudget_FailsAsUnreachableAfterTheBudget()
    {
        // Down for 6 s against a budget of 1 s. No wall-clock ceiling (a loaded machine may be slow to
        // give up): what must hold is that the client gave up while the server was still down.
        var budget = TimeSpan.FromSeconds(1);
        var restart = Server.Faults.Add(new FaultRule { Verb = "list", Resource = "configmaps", OnlyContinuations = true, Kind = FaultKind.Restart, Delay = TimeSpan.FromSeconds(6) });
        using var client = _sandbox.Client(options: Fast with { OutageBudget = budget });
        var listed = 0;
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var item in client.ListAsync(ConfigMaps, new ListRequest("shop", PageSize: 100)))
            {
                listed++;
            }
        });
        var failedAfter = clock.Elapsed;
        var backWhenItFailed = Server.IsListening || Server.WaitForRestartAsync().IsCompleted;
        await Server.WaitForRestartAsync();

        Assert.Equal((0, "Unreachable", true), (error.StatusCode, error.Reason, error.IsTransient));
        Assert.Equal((100, 1), (listed, restart.Hits));
        Assert.False(backWhenItFailed, $"failed after {failedAfter}, once the server was listening again: the client waited out the outage, not the budget");
        Assert.True(failedAfter >= budget, $"failed after {failedAfter}, before the {budget} budget was spent");
    }

    [Fact]
    public async Task Create_WhileTheServerRefusesConnections_IsSentOnceItListensAgain()
    {
        using var client = _sandbox.Client(options: Fast);
        await client.GetServerVersionAsync();
        Server.Restart(TimeSpan.FromSeconds(1));
        await Task.Delay(200);

        var created = await client.CreateAsync(ConfigMaps, "shop", SampleApplication.Obj("v1", "ConfigMap", "shop", "during-outage"));

        Assert.Equal("during-outage", created.Name);
        Assert.NotNull(await client.GetAsync(ConfigMaps, "shop", "during-outage"));
    }

    [Fact]
    public async Task FirstCall_ServerNeverReached_FailsAfterMaxRetriesNotTheBudget()
    {
        await Server.StopListeningAsync();
        using var client = _sandbox.Client(options: Fast with { OutageBudget = TimeSpan.FromMinutes(5) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.GetServerVersionAsync());

        Assert.Equal("Unreachable", error.Reason);
        Assert.StartsWith($"cannot reach {Server.Url}", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {clock.Elapsed}");
    }
}
