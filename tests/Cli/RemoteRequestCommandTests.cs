using System.Text.Json.Nodes;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;
using Strata.TestKit.Azure;
using Strata.TestKit.Azure.ServiceBus;

namespace Strata.Cli.Tests;

/// <summary>
/// <c>strata backup create --remote</c> and <c>strata restore create --remote</c> put a request on the control
/// plane's queue with the Service Bus SDK (on its test seams: no broker runs here), and refuse what the control
/// plane would refuse before anything is sent.
/// </summary>
public sealed class RemoteRequestCommandTests : IDisposable
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
    private readonly RecordingServiceBusClient _bus = new("strata-prod.servicebus.windows.net");
    private readonly RecordingCredential _credential = new("sb-token");
    private readonly List<(string Namespace, Azure.Core.TokenCredential Credential)> _clients = [];

    public RemoteRequestCommandTests() => _variables["STRATA_SERVICE_BUS"] = "strata-prod";

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, name => name == "HOME" ? _dir.Path : _variables.GetValueOrDefault(name), false, new ManualClock(Now))
        {
            AzureCredential = _credential,
            ServiceBusClients = (ns, credential) =>
            {
                _clients.Add((ns, credential));
                return _bus;
            },
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
        var sent = Assert.Single(_bus.SentTo("strata-backups"));
        Assert.Equal(("upgrade-131-prod-weu", "BackupRequested"), (sent.MessageId, sent.Subject));
        Assert.Equal([("strata-prod.servicebus.windows.net", (Azure.Core.TokenCredential)_credential)], _clients);
        Assert.True(_bus.Disposed);
        var envelope = MessageCodec.Parse(sent.Body.ToString()).Message!;
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
        Assert.All(_bus.SentTo("strata-backups"), m => Assert.Equal("pre-upgrade", m.MessageId));
    }

    [Fact]
    public async Task Remote_WithoutAKey_TableOutputNamesTheMessageAndBackup()
    {
        var (code, stdout, stderr) = await RunAsync("backup", "create", "--remote", "--cluster", "staging");

        Assert.True(code == 0, stderr);
        var envelope = MessageCodec.Parse(Assert.Single(_bus.SentTo("strata-backups")).Body.ToString()).Message!;
        Assert.StartsWith("cli-", envelope.Id);
        Assert.Equal("adhoc", ((BackupRequested)envelope.Payload).Policy);
        Assert.Contains($"message {envelope.Id} is on strata-backups in strata-prod.servicebus.windows.net", stdout);
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
        Assert.Empty(_bus.Sent);
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
    [InlineData("restore create --from-backup 20261121-020000-abcdef --remote", "--remote needs --to-cluster NAME")]
    [InlineData("restore create --from-backup 20261121-020000-abcdef --remote --to-cluster dr --to-context dr", "--to-context cannot be used with --remote")]
    [InlineData("restore create --from-backup 20261121-020000-abcdef --remote --to-cluster dr --priorities a.example.com", "--priorities cannot be used with --remote")]
    [InlineData("restore create --from-backup NOT_AN_ID --remote --to-cluster dr", "the request is not valid: payload.backupId 'NOT_AN_ID' is not a run id")]
    [InlineData("restore create --from-backup 20261121-020000-abcdef --to-cluster dr", "--to-cluster only applies with --remote")]
    [InlineData("restore create --from-backup 20261121-020000-abcdef --reason ticket-42", "--reason only applies with --remote")]
    public async Task Remote_BadInput_OneLineAndNothingSent(string args, string expected)
    {
        var (code, _, stderr) = await RunAsync(args.Split(' '));

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Empty(_bus.Sent);
        Assert.Empty(_clients);
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
    public async Task Remote_NotAllowedToSend_OneLineSayingWhichRole()
    {
        _bus.FailSend = _ => new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: 'sb://strata-prod.servicebus.windows.net/strata-backups'. TrackingId:9");

        var (code, _, stderr) = await RunAsync("backup", "create", "--remote", "--cluster", "prod-weu");

        Assert.Equal(2, code);
        Assert.Contains("to queue strata-backups in strata-prod.servicebus.windows.net failed", stderr);
        Assert.Contains("'Azure Service Bus Data Sender' role", stderr);
        Assert.DoesNotContain("sb-token", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Empty(_bus.Sent);
    }

    [Fact]
    public async Task RemoteRestore_SendsARestoreRequested_WithTheScopeItCarries()
    {
        var config = _dir.File("strata.yaml", Config);

        var (code, stdout, stderr) = await RunAsync(
            "restore", "create", "--remote", "--from-backup", "20261121-020000-abcdef", "--to-cluster", "staging", "--include-namespaces", "shop",
            "--namespace-mappings", "shop:shop-dr", "-l", "tier!=cache", "--existing-resource-policy", "update", "--dry-run",
            "--reason", "ticket 42", "--idempotency-key", "ticket-42", "--config", config, "-o", "json");

        Assert.True(code == 0, stderr);
        var sent = Assert.Single(_bus.SentTo("strata-restores"));
        var envelope = MessageCodec.Parse(sent.Body.ToString()).Message!;
        var request = Assert.IsType<RestoreRequested>(envelope.Payload);
        Assert.Equal(("20261121-020000-abcdef", "staging", "tier!=cache", true, "ticket 42"), (request.BackupId, request.TargetCluster, request.Selector, request.DryRun, request.Reason));
        Assert.Equal(["shop"], request.IncludeNamespaces);
        Assert.Equal("shop-dr", request.NamespaceMappings!["shop"]);
        Assert.Equal(Core.Restore.ExistingResourcePolicy.Update, request.ExistingObjects);
        var output = JsonNode.Parse(stdout)!;
        Assert.Equal(Core.ControlPlane.RestoreWorker.RestoreIdFor(envelope), output["restoreId"]!.GetValue<string>());
        Assert.Equal("strata-restores", output["queue"]!.GetValue<string>());
    }

    [Fact]
    public async Task RemoteRestore_IntoAClusterNotInStrataYaml_IsNotSent()
    {
        _variables["STRATA_CONFIG"] = _dir.File("strata.yaml", Config);

        var (code, _, stderr) = await RunAsync("restore", "create", "--remote", "--from-backup", "20261121-020000-abcdef", "--to-cluster", "qa");

        Assert.Equal(2, code);
        Assert.Contains("not sent: cluster 'qa' is not in", stderr);
        Assert.Empty(_bus.Sent);
    }

    [Fact]
    public async Task RemoteRestore_ConfigOption_IntoAClusterNotInIt_IsNotSent()
    {
        // restore create has one --config, read with and without --remote alike.
        var config = _dir.File("strata.yaml", Config);

        var (code, _, stderr) = await RunAsync("restore", "create", "--remote", "--from-backup", "20261121-020000-abcdef", "--to-cluster", "qa", "--config", config);

        Assert.Equal(2, code);
        Assert.Contains("not sent: cluster 'qa' is not in", stderr);
        Assert.Empty(_bus.Sent);
    }

    [Fact]
    public async Task RemoteRestore_TableOutput_NamesTheRestoreItBecomes()
    {
        var (code, stdout, stderr) = await RunAsync("restore", "create", "--remote", "--from-backup", "20261121-020000-abcdef", "--to-cluster", "staging");

        Assert.True(code == 0, stderr);
        var envelope = MessageCodec.Parse(Assert.Single(_bus.SentTo("strata-restores")).Body.ToString()).Message!;
        Assert.Contains("Requested a restore of backup 20261121-020000-abcdef into staging", stdout);
        Assert.Contains($"restore {Core.ControlPlane.RestoreWorker.RestoreIdFor(envelope)}", stdout);
    }

    [Fact]
    public async Task Run_ServiceBus_ConsumesTheWorkerQueuesUntilStopped()
    {
        var config = _dir.File("strata.yaml", Config);
        using var stop = new CancellationTokenSource();
        var stdout = new StringWriter();
        var environment = new CliEnvironment(TextWriter.Synchronized(stdout), new StringWriter(), name => name == "HOME" ? _dir.Path : _variables.GetValueOrDefault(name), false, new ManualClock(Now))
        {
            AzureCredential = _credential,
            ServiceBusClients = (ns, credential) =>
            {
                _clients.Add((ns, credential));
                return _bus;
            },
        };

        var running = StrataCli.RunAsync(["run", "--config", config, "--store", _dir.Path, "--service-bus"], environment, stop.Token);
        for (var i = 0; i < 200 && !(_bus.Processors.Count == ControlPlaneFunctions.Queue.Count && _bus.Processors.Values.All(p => p.Started)); i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(ControlPlaneFunctions.Queue.Select(f => f.Queue).Order(), _bus.Processors.Keys.Order());
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(_bus.Processors.Values, p => Assert.True(p.Stopped));
        Assert.Equal("strata-prod.servicebus.windows.net", Assert.Single(_clients).Namespace);
        Assert.Contains("queues in strata-prod.servicebus.windows.net", stdout.ToString());
        Assert.Contains($"listening on {string.Join(", ", ControlPlaneFunctions.Queue.Select(f => f.Queue))}", stdout.ToString());
    }

    [Theory]
    [InlineData("--service-bus --max-deliveries 3", "--max-deliveries cannot be used with --service-bus")]
    [InlineData("--service-bus Endpoint=sb://x;SharedAccessKey=c2VjcmV0", "a connection string is not accepted")]
    public async Task Run_ServiceBus_BadInput_OneLine(string options, string expected)
    {
        var config = _dir.File("strata.yaml", Config);

        var (code, _, stderr) = await RunAsync(["run", "--config", config, "--store", _dir.Path, .. options.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("c2VjcmV0", stderr);
        Assert.Empty(_clients);
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
