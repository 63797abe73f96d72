using System.Text;
using Strata.Core.Alerts;
using Strata.Core.Commands;
using Strata.Core.Configuration;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Tests.ControlPlane;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Drills;

/// <summary>The drill requests of the verify worker: replays, refusals, one drill at a time, and drills whose worker died.</summary>
public sealed class DrillWorkerTests
{
    [Fact]
    public async Task Handle_Redelivered_FindsItsDrill_RunsNothingAgain_RepeatsTheAlert()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 5s }");
        fakes.ReadyAtLook["web"] = int.MaxValue;
        var backup = await fakes.BackUpAsync();
        var (first, firstResult, request) = await fakes.DrillAsync(backup);
        var objects = fakes.Prod.Creates.Count;

        var again = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 2));

        Assert.Equal(objects, fakes.Prod.Creates.Count);
        Assert.Equal(first, await fakes.Plane.History.FindDrillAsync(first!.Id));
        Assert.Equal(firstResult.Messages.Select(m => m.Id), again.Messages.Select(m => m.Id));
        Assert.Contains("already ran (Failed)", Assert.Single(again.Logs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_PassingDrillAfterAFailedOne_ResolvesTheIncident_AndAReplayOfTheFailureDoesNotReopenIt()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 5s }");
        fakes.ReadyAtLook["web"] = int.MaxValue;
        var backup = await fakes.BackUpAsync();
        var failing = new Envelope("r-1", "r-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        await InlinePipeline.RunAsync(fakes.Plane.Context, failing); // the verify worker, then the alert dispatcher opens the incident
        Assert.Equal(IncidentStatus.Open, (await fakes.Plane.State.FindAlertAsync("drill-failed/nightly/prod"))!.Status);

        fakes.ReadyAtLook.Clear();
        fakes.Plane.Clock.Advance(TimeSpan.FromMinutes(5));
        var passing = new Envelope("r-2", "r-2", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        var outcome = await InlinePipeline.RunAsync(fakes.Plane.Context, passing);

        var resolved = (AlertResolved)outcome.Handled.Single(h => h.Message.Payload is AlertResolved).Message.Payload;
        Assert.Equal(("drill-failed/nightly/prod", DrillWorker.DrillIdFor(passing)), (resolved.DedupKey, resolved.RunId));
        Assert.Equal(IncidentStatus.Resolved, (await fakes.Plane.State.FindAlertAsync("drill-failed/nightly/prod"))!.Status);

        var replay = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(failing, deliveryCount: 2));
        Assert.DoesNotContain(replay.Messages, m => m.Payload is AlertResolved);
    }

    [Fact]
    public async Task Handle_RequestNamingItsRequester_RecordsThemOnTheDrill()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        var request = new Envelope("http-9", "http-9", fakes.Plane.Clock.GetUtcNow(),
            new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill, RequestedBy: "alice@contoso.com (object id 5b54)"));

        await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request));

        Assert.Equal("alice@contoso.com (object id 5b54)", (await fakes.Plane.History.FindDrillAsync(DrillWorker.DrillIdFor(request)))!.RequestedBy);
    }

    [Theory]
    [InlineData(null, null, "chain-1")]
    [InlineData(null, "2026-11-22T04:00:00Z", "drill-tick")]
    [InlineData("ci", null, "ci")]
    public void RequestedBy_SaysWhoAsked(string? requestedBy, string? scheduledFor, string expected) =>
        Assert.Equal(expected, DrillWorker.RequestedBy(new Envelope("id-1", "chain-1", DateTimeOffset.UnixEpoch,
            new VerifyRequested("20261121-093000-0000aa", "prod", "nightly", VerificationKind.Drill, scheduledFor is null ? null : DateTimeOffset.Parse(scheduledFor, System.Globalization.CultureInfo.InvariantCulture), requestedBy))));

    [Fact]
    public async Task Handle_BackupNotVerified_IsRejected()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        await fakes.Plane.History.SaveBackupAsync(backup with { Status = BackupStatus.VerificationFailed });

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Null(drill);
        Assert.Equal($"backup {backup.Id} is VerificationFailed: only verified backups are drilled", result.Rejection);
        Assert.Equal("message-rejected", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Handle_PolicyWithoutDrill_IsRejected()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        var other = backup with { Id = "20261121-093000-0000aa", Policy = "weekly" };
        await fakes.Plane.History.SaveBackupAsync(other);

        var (_, result, _) = await fakes.DrillAsync(other);

        Assert.Equal("policy 'weekly' is not in strata.yaml", result.Rejection);
    }

    [Fact]
    public async Task Handle_AnotherDrillOfThePolicyRunning_RunsNothing()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        await fakes.Plane.State.TryAcquireLeaseAsync("drill/nightly/prod", "20261121-000000-aaaaaa", fakes.Plane.Clock.GetUtcNow(), TimeSpan.FromHours(1));

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Skipped, drill!.Status);
        Assert.StartsWith("drill 20261121-000000-aaaaaa of policy nightly on prod is running", drill.Error, StringComparison.Ordinal);
        Assert.Empty(result.Messages);
        Assert.DoesNotContain(fakes.Prod.Creates.Keys, k => k.Contains("drill-", StringComparison.Ordinal));
        Assert.Contains("drill 20261121-000000-aaaaaa of policy nightly on prod is running", Assert.Single(result.Logs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_LeaseTakenOverFromADeadDrill_AbandonsThatDrill_DeletesItsNamespaces_ThenRuns()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        const string deadId = "20261121-000000-dead00";
        var deadScratch = "drill-dead00-shop";
        await fakes.Prod.CreateAsync(DrillFakes.Type("namespaces"), null, DrillFakes.Object("v1", "Namespace", null, deadScratch));
        await fakes.Plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = deadId, BackupId = backup.Id, Policy = "nightly", Cluster = "prod", Target = "prod", Mode = Strata.Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.InProgress, StartedAt = fakes.Plane.Clock.GetUtcNow(), Namespaces = new Dictionary<string, string> { ["shop"] = deadScratch },
        });
        await fakes.Plane.State.TryAcquireLeaseAsync("drill/nightly/prod", deadId, fakes.Plane.Clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        fakes.Plane.Clock.Advance(TimeSpan.FromMinutes(2));

        var (drill, result, _) = await fakes.DrillAsync(backup);

        var dead = await fakes.Plane.History.FindDrillAsync(deadId);
        Assert.Equal(DrillStatus.Failed, dead!.Status);
        Assert.StartsWith("abandoned:", dead.Error, StringComparison.Ordinal);
        Assert.False(fakes.Prod.Objects.ContainsKey(TestKit.Fakes.RecordingCluster.Key("namespaces", null, deadScratch)));
        Assert.Equal(DrillStatus.Passed, drill!.Status);
        Assert.Contains(result.Messages, m => m.Payload is AlertRaised { Kind: "drill-failed" } a && a.Summary.Contains(deadId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_RedeliveryRenewsTheLeaseOfADrillOlderThanItsTimeout_AbandonsIt()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 5m }");
        var backup = await fakes.BackUpAsync();
        var request = new Envelope("r-1", "r-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        var drillId = DrillWorker.DrillIdFor(request);
        await fakes.Plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = drillId, BackupId = backup.Id, Policy = "nightly", Cluster = "prod", Target = "prod", Mode = Strata.Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.InProgress, StartedAt = fakes.Plane.Clock.GetUtcNow(),
        });
        fakes.Plane.Clock.Advance(TimeSpan.FromHours(1));
        await fakes.Plane.State.TryAcquireLeaseAsync("drill/nightly/prod", drillId, fakes.Plane.Clock.GetUtcNow(), TimeSpan.FromHours(1));

        var result = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 3));

        var drill = await fakes.Plane.History.FindDrillAsync(drillId);
        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("abandoned:", drill.Error, StringComparison.Ordinal);
        Assert.Equal("drill-failed", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Handle_DrillWhoseWorkerDied_IsRecordedAbandoned_ItsNamespacesDeleted_AndPages()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();
        var request = new Envelope("r-1", "r-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        var drillId = DrillWorker.DrillIdFor(request);
        var scratch = $"drill-{drillId[^6..]}-shop";
        await fakes.Prod.CreateAsync(DrillFakes.Type("namespaces"), null, DrillFakes.Object("v1", "Namespace", null, scratch));
        await fakes.Plane.History.SaveDrillAsync(new DrillRecord
        {
            Id = drillId, BackupId = backup.Id, Policy = "nightly", Cluster = "prod", Target = "prod", Mode = Strata.Core.Configuration.DrillMode.Scratch,
            Status = DrillStatus.InProgress, StartedAt = fakes.Plane.Clock.GetUtcNow(), Namespaces = new Dictionary<string, string> { ["shop"] = scratch },
        });

        var result = await VerifyWorker.HandleAsync(fakes.Plane.Context, ControlPlaneFakes.Delivery(request, deliveryCount: 2));

        var drill = await fakes.Plane.History.FindDrillAsync(drillId);
        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("abandoned:", drill.Error, StringComparison.Ordinal);
        Assert.False(fakes.Prod.Objects.ContainsKey(TestKit.Fakes.RecordingCluster.Key("namespaces", null, scratch)));
        Assert.Equal("drill-failed", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task Handle_TargetUnreachable_IsAFailedDrill_NotARedelivery()
    {
        var fakes = await DrillFakes.CreateAsync("{ target: dr }");
        var backup = await fakes.BackUpAsync();
        fakes.Plane.Clusters.Clusters.Remove("dr");

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("cluster dr: cannot reach https://dr.example:6443/", drill.Error, StringComparison.Ordinal);
        Assert.Equal("drill-failed/nightly/prod", ((AlertRaised)Assert.Single(result.Messages).Payload).DedupKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handle_DirectDrillServer_DrillTargetGoneAfterTheObjects_ReachedWithoutIt_UnlessItsPasswordSecretIsThere(bool passwordSecret)
    {
        // The drill server is direct and names no cluster: it is "on" the drill's target, dr, which needs reaching only
        // for a passwordSecret. dr answers the object drill, then goes away.
        var fakes = await DrillFakes.CreateAsync("{ target: dr }", string.Join('\n',
            "    databases:",
            "      - name: shop",
            "        engine: mariadb",
            "        executor: direct",
            "        host: db.example",
            "        databases: [shop]",
            "        drill:",
            "          server: { executor: direct, host: drill.example"
                + (passwordSecret ? ", namespace: drills, passwordSecret: { name: drill-auth, key: password } }" : " }")));
        var tools = new MariaDbTools();
        var context = fakes.Plane.Context with { HostCommands = tools };
        var backupRequest = fakes.Plane.Request("ci-1");
        await InlinePipeline.RunAsync(context, backupRequest);
        var backup = (await fakes.Plane.History.FindBackupAsync(BackupWorker.BackupIdFor(backupRequest)))!;
        Assert.True(backup.Status == BackupStatus.Verified, string.Join("\n", backup.Problems.Select(p => p.Message)));

        var request = new Envelope("drill-request-1", "drill-request-1", fakes.Plane.Clock.GetUtcNow(), new VerifyRequested(backup.Id, "prod", "nightly", VerificationKind.Drill));
        await VerifyWorker.HandleAsync(context with { Clusters = new AnsweringOnce(fakes.Plane.Clusters, "dr") }, ControlPlaneFakes.Delivery(request));

        var drill = (await fakes.Plane.History.FindDrillAsync(DrillWorker.DrillIdFor(request)))!;
        var database = Assert.Single(drill.Databases);
        if (passwordSecret)
        {
            // Its password is a Secret on dr: that needs dr, and says so.
            Assert.Equal(DrillStatus.Failed, drill.Status);
            Assert.Contains("the drill server's cluster dr cannot be reached", database.Error, StringComparison.Ordinal);
            return;
        }

        Assert.True(database.Passed, database.Error);
        Assert.Equal(DrillStatus.Passed, drill.Status);
        Assert.Equal("direct/shop's drill server (this host)", database.RanIn);
        Assert.Equal(1, fakes.Plane.Clusters.Connections["dr"]);
        Assert.Contains(tools.Commands, c => c.Command[0] == "mariadb" && c.Command.Contains("--host=drill.example"));
    }

    /// <summary><paramref name="inner"/>'s clusters, but <paramref name="name"/> answers its first connection only (it goes away after).</summary>
    private sealed class AnsweringOnce(FakeClusters inner, string name) : IClusterConnector
    {
        public Task<IClusterWriter> ConnectAsync(ClusterDefinition cluster, CancellationToken cancellationToken = default) =>
            cluster.Name == name && inner.Connections.GetValueOrDefault(name) >= 1
                ? throw new ClusterRequestException($"cannot reach {cluster.Server}: Connection refused", 0, "Unreachable", isTransient: true)
                : inner.ConnectAsync(cluster, cancellationToken);
    }

    /// <summary>
    /// The runner's host with MariaDB's tools: <c>mariadb-dump</c> prints <see cref="Dump"/>; the client reads what it is
    /// given and prints nothing (no such database yet, statements done). Every command is kept.
    /// </summary>
    private sealed class MariaDbTools : IHostCommands
    {
        private const string Dump = """
            -- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)
            --
            -- Host: db.example    Database: shop
            -- ------------------------------------------------------
            -- Server version	10.11.6-MariaDB

            CREATE TABLE `orders` (
              `id` int(11) NOT NULL
            );
            INSERT INTO `orders` VALUES (1),(2);
            -- Dump completed on 2026-11-21  9:30:00

            """;

        public List<HostCommand> Commands { get; } = [];

        public async Task<CommandExit> RunAsync(HostCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
        {
            lock (Commands)
            {
                Commands.Add(command);
            }

            if (streams.Stdin is { } stdin)
            {
                await stdin.CopyToAsync(Stream.Null, cancellationToken);
            }

            if (streams.Stdout is { } stdout)
            {
                await stdout(new MemoryStream(command.Command[0] == "mariadb-dump" ? Encoding.UTF8.GetBytes(Dump) : []), cancellationToken);
            }

            return new CommandExit(0, "");
        }
    }
}
