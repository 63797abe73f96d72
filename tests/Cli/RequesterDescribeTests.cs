using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary><c>strata backup describe</c> and <c>strata restore describe</c> show who asked the control plane for the run.</summary>
public sealed class RequesterDescribeTests : IAsyncLifetime
{
    private const string Alice = "alice@contoso.com (object id 5b5450db-eb26-4c1a-981c-ba1d25f0483d)";

    private ControlPlaneWorld _world = null!;

    public async Task InitializeAsync() => _world = await ControlPlaneWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, _world.Variable, false, _world.Clock));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static InboundMessage Delivery(Envelope envelope) => new(Queues.For(envelope.Payload), MessageCodec.Serialize(envelope), envelope.Id, 1);

    [Fact]
    public async Task Describe_RunsAskedForOverHttp_ShowWhoAsked()
    {
        var backupRequest = new Envelope("http-1", "http-1", _world.Clock.GetUtcNow(), new BackupRequested("prod", "minutely", RequestedBy: Alice));
        await BackupWorker.HandleAsync(_world.Context, Delivery(backupRequest));
        var backupId = BackupWorker.BackupIdFor(backupRequest);
        var restoreRequest = new Envelope("http-2", "http-2", _world.Clock.GetUtcNow(), new RestoreRequested(backupId, "dr", ["shop"], RequestedBy: "function-key:servicenow"));
        await RestoreWorker.HandleAsync(_world.Context, Delivery(restoreRequest));

        var (backupCode, backup, backupError) = await RunAsync("backup", "describe", backupId, "--store", _world.Store);
        var (restoreCode, restore, restoreError) = await RunAsync("restore", "describe", RestoreWorker.RestoreIdFor(restoreRequest), "--store", _world.Store);
        var (_, restoreJson, _) = await RunAsync("restore", "describe", RestoreWorker.RestoreIdFor(restoreRequest), "--store", _world.Store, "-o", "json");

        Assert.True(backupCode == 0, backupError);
        Assert.True(restoreCode == 0, restoreError);
        Assert.Matches(@"Requested by\s+alice@contoso\.com \(object id 5b5450db-eb26-4c1a-981c-ba1d25f0483d\)", backup);
        Assert.Matches(@"Requested by\s+function-key:servicenow", restore);
        Assert.Equal("function-key:servicenow", System.Text.Json.Nodes.JsonNode.Parse(restoreJson)!["requestedBy"]!.GetValue<string>());
    }
}
