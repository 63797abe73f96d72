using System.Text.Json.Nodes;
using Strata.Core.Messages;
using Strata.TestKit;
using Strata.TestKit.Azure;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata backup create --remote</c> puts a <c>BackupRequested</c> on the control plane's queue
/// through the Service Bus REST API (a recording fake over HTTPS: no emulator speaks REST), and
/// refuses what the control plane would refuse before anything is sent.
/// </summary>
public sealed class RemoteBackupCommandTests : IAsyncLifetime
{
    private const string Config = """
        version: 1
        clusters:
          - name: prod-weu
            context: prod-weu-admin
            tags: { env: prod }
          - name: staging
            context: staging-admin
        policies:
          - name: nightly
            clusters: ["tag:env=prod"]
            schedule: "30 2 * * *"
        """;

    private const string LongKey = "k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k12345678k1234";

    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _variables = new() { ["USER"] = "oncall" };
    private RecordingServiceBus _bus = null!;
    private RecordingCredential _credential = null!;

    public async Task InitializeAsync()
    {
        _bus = await RecordingServiceBus.StartAsync("sb-token", "strata-backups");
        _credential = new RecordingCredential("sb-token");
        _variables["STRATA_SERVICE_BUS"] = _bus.Endpoint.ToString();
    }

    public async Task DisposeAsync()
    {
        await _bus.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => name == "HOME" ? _dir.Path : _variables.GetValueOrDefault(name), false, new ManualClock(Now))
        {
            AzureCredential = _credential,
            AzureTransport = _bus.Transport(),
        };
        var code = await StrataCli.RunAsync(args, environment);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Remote_SendsABackupRequested_AndSaysWhichBackupItBecomes()
    {
        var config = _dir.File("strata.yaml", Config);

        var (code, stdout, stderr) = await RunAsync(
            "backup", "create", "--remote", "--cluster", "prod-weu", "--policy", "nightly", "--reason", "before upgrade to 1.31",
            "--idempotency-key", "upgrade-131-prod-weu", "--config", config, "-o", "json");

        Assert.True(code == 0, stderr);
        var sent = Assert.Single(_bus.Queues["strata-backups"]);
        Assert.Equal("upgrade-131-prod-weu", sent.BrokerProperties["MessageId"]!.GetValue<string>());
        Assert.Equal(["https://servicebus.azure.net/.default"], _credential.Scopes.Distinct());
        var envelope = MessageCodec.Parse(sent.Body).Message!;
        Assert.Equal("upgrade-131-prod-weu", envelope.Id);
        Assert.Equal(Now, envelope.CreatedAt);
        var request = Assert.IsType<BackupRequested>(envelope.Payload);
        Assert.Equal(("prod-weu", "nightly", "before upgrade to 1.31"), (request.Cluster, request.Policy, request.Reason));
        Assert.StartsWith("oncall@", request.RequestedBy);
        Assert.Null(request.ScheduledFor);

        var output = JsonNode.Parse(stdout)!;
        Assert.Equal("upgrade-131-prod-weu", output["messageId"]!.GetValue<string>());
        Assert.Equal("strata-backups", output["queue"]!.GetValue<string>());
        Assert.Equal(Core.ControlPlane.BackupWorker.BackupIdFor(envelope), output["backupId"]!.GetValue<string>());
        Assert.StartsWith("20261121-093000-", output["backupId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Remote_SameIdempotencyKeyTwice_AsksForTheSameBackup()
    {
        string[] args = ["backup", "create", "--remote", "--cluster", "prod-weu", "--idempotency-key", "pre-upgrade", "-o", "json"];

        var first = await RunAsync(args);
        var second = await RunAsync(args);

        Assert.Equal((0, 0), (first.Code, second.Code));
        Assert.Equal(JsonNode.Parse(first.Out)!["backupId"]!.GetValue<string>(), JsonNode.Parse(second.Out)!["backupId"]!.GetValue<string>());
        Assert.All(_bus.Queues["strata-backups"], m => Assert.Equal("pre-upgrade", m.BrokerProperties["MessageId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Remote_WithoutAKey_TableOutputNamesTheMessageAndBackup()
    {
        var (code, stdout, stderr) = await RunAsync("backup", "create", "--remote", "--cluster", "staging");

        Assert.True(code == 0, stderr);
        var envelope = MessageCodec.Parse(Assert.Single(_bus.Queues["strata-backups"]).Body).Message!;
        Assert.StartsWith("cli-", envelope.Id);
        Assert.Equal("adhoc", ((BackupRequested)envelope.Payload).Policy);
        Assert.Contains($"message {envelope.Id} is on strata-backups in 127.0.0.1", stdout);
        Assert.Contains($"backup {Core.ControlPlane.BackupWorker.BackupIdFor(envelope)}", stdout);
    }

    [Theory]
    [InlineData("--cluster qa", "not sent: cluster 'qa' is not in")]
    [InlineData("--cluster prod-weu --policy weekly", "not sent: policy 'weekly' is not in")]
    [InlineData("--cluster staging --policy nightly", "not sent: policy 'nightly' does not protect cluster 'staging'")]
    public async Task Remote_RequestTheControlPlaneWouldRefuse_IsNotSent(string options, string expected)
    {
        _variables["STRATA_CONFIG"] = _dir.File("strata.yaml", Config);

        var (code, _, stderr) = await RunAsync(["backup", "create", "--remote", .. options.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Empty(_bus.Requests);
    }

    [Theory]
    [InlineData("backup create --remote", "--remote needs --cluster NAME")]
    [InlineData("backup create --remote --cluster prod-weu --context prod", "--context cannot be used with --remote")]
    [InlineData("backup create --remote --cluster prod-weu -l app=web", "--selector cannot be used with --remote")]
    [InlineData("backup create --remote --cluster prod-weu --store /tmp/x", "--store cannot be used with --remote")]
    [InlineData("backup create --remote --cluster Prod", "the request is not valid: payload.cluster 'Prod' is not a name")]
    [InlineData("backup create --remote --cluster prod-weu --idempotency-key " + LongKey, "the request is not valid: id is required (a string of 1 to 128 characters)")]
    [InlineData("backup create --remote --cluster prod-weu --service-bus http://x.servicebus.windows.net", "--service-bus: 'http://x.servicebus.windows.net' is not https://")]
    [InlineData("backup create --cluster prod-weu", "--cluster only applies with --remote")]
    public async Task Remote_BadInput_OneLineAndNothingSent(string args, string expected)
    {
        var (code, _, stderr) = await RunAsync(args.Split(' '));

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Empty(_bus.Requests);
    }

    [Fact]
    public async Task Remote_NoNamespace_SaysHowToNameIt()
    {
        _variables.Remove("STRATA_SERVICE_BUS");

        var (code, _, stderr) = await RunAsync("backup", "create", "--remote", "--cluster", "prod-weu");

        Assert.Equal(2, code);
        Assert.Contains("--service-bus NAME, or $STRATA_SERVICE_BUS", stderr);
    }

    [Fact]
    public async Task Remote_TokenRefused_OneLineWithoutTheToken()
    {
        _credential = new RecordingCredential("expired-token");

        var (code, _, stderr) = await RunAsync("backup", "create", "--remote", "--cluster", "prod-weu");

        Assert.Equal(2, code);
        Assert.Contains("sending to queue strata-backups", stderr);
        Assert.Contains("401", stderr);
        Assert.DoesNotContain("expired-token", stderr);
        Assert.Empty(_bus.Queues);
    }

    [Fact]
    public async Task Run_BadConfiguration_NamesFileLineAndField()
    {
        var config = _dir.File("strata.yaml", Config.Replace("\"30 2 * * *\"", "\"30 25 * * *\"", StringComparison.Ordinal));

        var (code, stdout, stderr) = await RunAsync("run", "--config", config, "--store", _dir.Path);

        Assert.Equal(2, code);
        Assert.Contains($"{config}:11:15: policies[0].schedule: invalid cron expression '30 25 * * *'", stderr);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Run_NoConfiguration_SaysWhereToPutIt()
    {
        var (code, _, stderr) = await RunAsync("run", "--store", _dir.Path);

        Assert.Equal(2, code);
        Assert.Contains("set STRATA_CONFIG", stderr);
    }
}
