using System.Diagnostics;
using System.Text.Json.Nodes;
using Strata.Sandbox;
using Strata.Sandbox.Http;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// A backup killed as a user would kill it (<c>kill -9</c> of the <c>strata</c> process) is not shown as running for
/// ever: its run lease stops being renewed, and <c>backup list</c> shows it Interrupted once the lease is out.
/// </summary>
public sealed class InterruptedRunTests : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        SampleApplication.Seed(_sandbox.Server);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task KilledMidRun_ListShowsInterrupted_OnceTheLeaseRunsOut()
    {
        // Every list answers slowly, so the backup is still running when it is killed.
        _sandbox.Server.Faults.Add(new FaultRule { Verb = "list", Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(2), Times = -1 });
        var kubeconfig = _dir.File("kubeconfig", _sandbox.Server.Kubeconfig("prod"));
        var store = Path.Combine(_dir.Path, "store");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "strata.dll"), "backup", "create", "--kubeconfig", kubeconfig, "--store", store },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["STRATA_RUN_LEASE"] = "2", ["HOME"] = _dir.Path },
        };
        using var strata = Process.Start(start)!;

        JsonNode? running = null;
        for (var i = 0; i < 300 && running is null; i++)
        {
            await Task.Delay(100);
            var (_, listed, _) = await ListAsync(store);
            running = JsonNode.Parse(listed)!.AsArray().FirstOrDefault(r => r!["status"]!.GetValue<string>() == "InProgress");
        }

        Assert.NotNull(running);
        await Task.Delay(TimeSpan.FromSeconds(3)); // past one lease: alive, the process renewed it
        var (_, stillRunning, _) = await ListAsync(store);
        Assert.False(strata.HasExited, "the backup ended before it could be killed");
        Assert.Equal("InProgress", JsonNode.Parse(stillRunning)!.AsArray().Single(r => r!["id"]!.GetValue<string>() == running["id"]!.GetValue<string>())!["status"]!.GetValue<string>());
        strata.Kill(entireProcessTree: true); // SIGKILL: nothing runs after it
        await strata.WaitForExitAsync();

        await Task.Delay(TimeSpan.FromSeconds(3)); // past the 2 s lease
        var (code, table, _) = await ListAsync(store, json: false);

        Assert.Equal(0, code);
        Assert.Contains(running["id"]!.GetValue<string>(), table);
        Assert.Contains("Interrupted", table);
        Assert.DoesNotContain("InProgress", table);
    }

    private async Task<(int Code, string Out, string Error)> ListAsync(string store, bool json = true)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => name == "HOME" ? _dir.Path : null, false, TimeProvider.System);
        var code = await StrataCli.RunAsync(json ? ["backup", "list", "--store", store, "-o", "json"] : ["backup", "list", "--store", store], environment);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
