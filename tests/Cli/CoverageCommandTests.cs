using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata coverage</c> over two sandboxes: "prod" with the sample application (a claim no policy snapshots, GitOps-managed
/// Deployments) and "dr", empty.
/// </summary>
public sealed class CoverageCommandTests : IAsyncLifetime
{
    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(["coverage", "--config", _world.ConfigPath, "--store", _world.Store, .. args],
            new CliEnvironment(stdout, stderr, _world.Variable, false, _world.Clock));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Coverage_SomethingUnprotected_TablePerCluster_Exits1()
    {
        var (code, output, error) = await RunAsync();

        Assert.True(code == 1, error);
        Assert.Contains("prod: ", output);
        Assert.Contains("UNPROTECTED", output);
        Assert.Contains("shop/data", output);
        Assert.Contains("rebuildable", output);
        Assert.Contains("dr: 0 stateful thing(s)", output);
    }

    [Fact]
    public async Task Coverage_Json_OneReportPerCluster_WithEachEntrysStateAndReason()
    {
        var (code, output, error) = await RunAsync("--cluster", "prod", "-o", "json");

        Assert.True(code == 1, error);
        var report = Assert.Single(JsonNode.Parse(output)!.AsArray())!;
        Assert.Equal("prod", report["cluster"]!.GetValue<string>());
        var entries = report["entries"]!.AsArray();
        var data = entries.Single(e => e!["kind"]!.GetValue<string>() == "PersistentVolumeClaim" && e["name"]!.GetValue<string>() == "data")!;
        Assert.Equal("Unprotected", data["state"]!.GetValue<string>());
        Assert.Contains("minutely", data["reason"]!.GetValue<string>());
        var web = entries.Single(e => e!["kind"]!.GetValue<string>() == "Deployment" && e["name"]!.GetValue<string>() == "web")!;
        Assert.Equal("Rebuildable", web["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Coverage_NothingStateful_Exits0()
    {
        var (code, output, error) = await RunAsync("--cluster", "dr");

        Assert.True(code == 0, error);
        Assert.Contains("dr: 0 stateful thing(s): 0 protected, 0 rebuildable, 0 unprotected", output);
    }

    [Fact]
    public async Task Coverage_UnknownCluster_Exits2NamingIt()
    {
        var (code, output, error) = await RunAsync("--cluster", "staging");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("cluster 'staging' is not in strata.yaml", error);
        Assert.Contains("its clusters are prod, dr", error);
    }

    [Fact]
    public async Task Coverage_UnreachableCluster_ReportsIt_AndStillSurveysTheOthers()
    {
        await _world.Dr.StopListeningAsync();

        var (code, output, error) = await RunAsync();

        Assert.True(code == 1, error);
        Assert.Contains("dr: NOT SURVEYED: ", output);
        Assert.Contains("shop/data", output);
        Assert.DoesNotContain(_world.Variables["DR_TOKEN"], output + error);
    }
}
