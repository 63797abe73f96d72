using System.Text.Json.Nodes;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary><c>strata status</c> over a control plane whose clock the test moves.</summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private const string Hourly = """
          - name: hourly
            clusters: ["*"]
            schedule: "0 * * * *"
            rpo: 2h
        """;

    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync(Hourly);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, _world.Variable, false, _world.Clock));
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Status_JudgesEachPairOnItsLastVerifiedBackup_AsTheClockMoves()
    {
        var (created, createdOut, createdError) = await RunAsync("backup", "create", "--config", _world.ConfigPath, "--policy", "hourly", "--cluster", "prod", "--store", _world.Store, "-o", "json");
        Assert.True(created == 0, createdError);
        var id = JsonNode.Parse(createdOut)!["id"]!.GetValue<string>();

        var (code, json, _) = await RunAsync("status", "--config", _world.ConfigPath, "--store", _world.Store, "-o", "json");
        _world.Clock.Advance(TimeSpan.FromHours(1.75));
        var (_, atRisk, _) = await RunAsync("status", "--config", _world.ConfigPath, "--store", _world.Store);
        _world.Clock.Advance(TimeSpan.FromHours(1));
        var (_, breached, _) = await RunAsync("status", "--config", _world.ConfigPath, "--store", _world.Store);

        Assert.Equal(0, code);
        var rows = JsonNode.Parse(json)!["protection"]!.AsArray();
        var prod = rows.Single(r => r!["cluster"]!.GetValue<string>() == "prod")!;
        Assert.Equal(("Ok", id, "Verified"), (prod["rpoState"]!.GetValue<string>(), prod["lastVerified"]!["id"]!.GetValue<string>(), prod["lastBackup"]!["status"]!.GetValue<string>()));
        var dr = rows.Single(r => r!["cluster"]!.GetValue<string>() == "dr")!;
        Assert.Equal("Pending", dr["rpoState"]!.GetValue<string>());
        Assert.Null(dr["lastVerified"]);
        Assert.Contains("AT RISK (1h45m of 2h)", atRisk);
        Assert.Contains("BREACHED (2h45m of 2h)", breached);
    }
}
