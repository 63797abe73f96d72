using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Core.Alerts;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit.Volumes;

namespace Strata.Core.Tests.ControlPlane;

/// <summary>
/// The <c>coverage</c> timer over a sandbox "prod" with a claim no snapshot class serves, and an unreachable "dr": it
/// stores each cluster's report, warns once per day per cluster with unprotected things, and resolves when the cluster is
/// fully covered again.
/// </summary>
public sealed class CoverageSweepTests : IAsyncLifetime
{
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create("""
          - name: nightly
            clusters: ["*"]
            schedule: "30 2 * * *"
            volumes: snapshot
        """, start: new DateTimeOffset(2026, 11, 21, 4, 23, 0, TimeSpan.Zero));

    private SandboxApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        _server.CreateNamespace("shop");
        _server.Create(StorageObjects.StorageClass("local-path", "rancher.io/local-path"));
        _server.Create(StorageObjects.Claim("shop", "scratch", "local-path"));
        _client = new KubernetesClient(Kubeconfig.Parse(_server.Kubeconfig("prod"), "test kubeconfig").Resolve());
        _plane.Clusters.Clusters["prod"] = _client;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_UnprotectedClaim_StoresEveryReport_AndWarnsForThatClusterOnly()
    {
        var result = await CoverageSweep.RunAsync(_plane.Context);

        var reports = await _plane.State.ListCoverageAsync().ToListAsync();
        Assert.Equal(["dr", "prod"], reports.Select(r => r.Cluster));
        Assert.Contains("cannot reach", reports[0].Error);
        Assert.Equal("scratch", Assert.Single(reports[1].Unprotected).Name);
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal((AlertSeverity.Warning, CoverageSweep.Kind, "coverage-unprotected/prod", "prod", (string?)null), (alert.Severity, alert.Kind, alert.DedupKey, alert.Cluster, alert.Policy));
        Assert.StartsWith("1 stateful thing(s) in prod are not protected by any policy: shop/scratch", alert.Summary);
        Assert.StartsWith("shop/scratch (PersistentVolumeClaim): policy nightly snapshots volumes, but the cluster does not serve snapshot.storage.k8s.io/v1", Assert.Single(alert.FailedItems!));
    }

    [Fact]
    public async Task RunAsync_AgainTheSameDay_DoesNotWarnAgain_TheNextDayDoes()
    {
        await RecordAsync(await CoverageSweep.RunAsync(_plane.Context));
        _plane.Clock.Advance(TimeSpan.FromHours(12));
        var sameDay = await CoverageSweep.RunAsync(_plane.Context);
        _plane.Clock.Advance(TimeSpan.FromHours(12));
        var nextDay = await CoverageSweep.RunAsync(_plane.Context);

        Assert.Empty(sameDay.Messages);
        Assert.Equal("alert-coverage-prod-20261122-0", Assert.Single(nextDay.Messages).Id);
    }

    [Fact]
    public async Task RunAsync_FullyCoveredAgain_ResolvesTheIncident_Once()
    {
        await RecordAsync(await CoverageSweep.RunAsync(_plane.Context));
        await _client.DeleteAsync(VolumeSnapshotApi.Claims, "shop", "scratch");
        await UntilGoneAsync();

        var resolved = await CoverageSweep.RunAsync(_plane.Context);
        await RecordAsync(resolved);
        var after = await CoverageSweep.RunAsync(_plane.Context);

        var resolve = (AlertResolved)Assert.Single(resolved.Messages).Payload;
        Assert.Equal(("coverage-unprotected/prod", "prod"), (resolve.DedupKey, resolve.Cluster));
        Assert.Empty(after.Messages);
        Assert.Empty((await _plane.State.ListCoverageAsync().ToListAsync()).Single(r => r.Cluster == "prod").Entries);
    }

    [Fact]
    public async Task RunAsync_UnprotectedAgainAfterAResolveTheSameDay_RaisesWithANewMessageId()
    {
        var first = await CoverageSweep.RunAsync(_plane.Context);
        await RecordAsync(first);
        await _client.DeleteAsync(VolumeSnapshotApi.Claims, "shop", "scratch");
        await UntilGoneAsync();
        _plane.Clock.Advance(TimeSpan.FromHours(1));
        await RecordAsync(await CoverageSweep.RunAsync(_plane.Context));
        _server.Create(StorageObjects.Claim("shop", "scratch", "local-path"));
        _plane.Clock.Advance(TimeSpan.FromHours(1));

        var again = await CoverageSweep.RunAsync(_plane.Context);
        var replay = await CoverageSweep.RunAsync(_plane.Context);

        var raise = Assert.Single(again.Messages);
        Assert.IsType<AlertRaised>(raise.Payload);
        Assert.NotEqual(Assert.Single(first.Messages).Id, raise.Id); // else Service Bus drops it as a duplicate of the morning's
        Assert.Equal(raise.Id, Assert.Single(replay.Messages).Id); // not yet recorded: the same message, once a day
    }

    [Fact]
    public async Task RunAsync_SurveyFailsAfterAGoodOne_KeepsTheEntriesAndTheIncident_RecordsTheFailureBeside()
    {
        var surveyedAt = _plane.Clock.GetUtcNow();
        await RecordAsync(await CoverageSweep.RunAsync(_plane.Context));
        _plane.Clusters.Clusters.Remove("prod");
        _plane.Clock.Advance(TimeSpan.FromDays(1));

        var failed = await CoverageSweep.RunAsync(_plane.Context);

        var prod = (await _plane.State.ListCoverageAsync().ToListAsync()).Single(r => r.Cluster == "prod");
        Assert.Equal(surveyedAt, prod.SurveyedAt);
        Assert.Equal("scratch", Assert.Single(prod.Unprotected).Name);
        Assert.Null(prod.Error);
        Assert.Contains("cannot reach", prod.LastError);
        Assert.Equal(_plane.Clock.GetUtcNow(), prod.LastAttemptAt);
        Assert.Empty(failed.Messages);
        Assert.Equal(IncidentStatus.Open, (await _plane.State.FindAlertAsync(CoverageSweep.DedupKey("prod")))!.Status);
        Assert.Contains(failed.Logs, l => l.StartsWith("coverage: prod: not surveyed: cannot reach", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NeverSurveyed_StoresTheFailureAlone()
    {
        await CoverageSweep.RunAsync(_plane.Context);
        _plane.Clock.Advance(TimeSpan.FromDays(1));
        await CoverageSweep.RunAsync(_plane.Context);

        var dr = (await _plane.State.ListCoverageAsync().ToListAsync()).Single(r => r.Cluster == "dr");
        Assert.Equal((_plane.Clock.GetUtcNow(), (string?)null), (dr.SurveyedAt, dr.LastError));
        Assert.Contains("cannot reach", dr.Error);
    }

    [Fact]
    public async Task RunAsync_ClusterRemovedFromStrataYaml_ResolvesItsOpenIncident()
    {
        var raised = new Envelope("alert-coverage-retired-20261120-0", "coverage", _plane.Clock.GetUtcNow().AddDays(-1),
            new AlertRaised(AlertSeverity.Warning, CoverageSweep.Kind, "1 stateful thing(s) in retired …", CoverageSweep.DedupKey("retired"), "retired"));
        await _plane.State.RecordAlertAsync(raised, raised.CreatedAt);

        var result = await CoverageSweep.RunAsync(_plane.Context);

        var resolve = result.Messages.Select(m => m.Payload).OfType<AlertResolved>().Single();
        Assert.Equal(("coverage-unprotected/retired", "retired"), (resolve.DedupKey, resolve.Cluster));
        Assert.Contains("no longer in strata.yaml", resolve.Summary);
    }

    [Fact]
    public async Task RunAsync_OneSaveFails_LogsIt_StillAlerts_AndSurveysTheRest()
    {
        _plane.State.CoverageSaveFailure = r => r.Cluster == "prod" ? new IOException("the table is away") : null;

        var result = await CoverageSweep.RunAsync(_plane.Context);

        Assert.Contains("coverage: prod: report not saved: the table is away", result.Logs);
        Assert.IsType<AlertRaised>(Assert.Single(result.Messages).Payload);
        Assert.Equal(["dr"], (await _plane.State.ListCoverageAsync().ToListAsync()).Select(r => r.Cluster));
    }

    [Fact]
    public async Task RunAsync_EverySaveFails_Throws_SoTheHostRetries()
    {
        _plane.State.CoverageSaveFailure = _ => new IOException("the table is away");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CoverageSweep.RunAsync(_plane.Context));

        Assert.Contains("the table is away", error.Message);
    }

    [Fact]
    public async Task StatusReport_AfterASweep_CarriesEachConfiguredClustersLatestReport_InConfigurationOrder()
    {
        await _plane.State.SaveCoverageAsync(new Core.Coverage.CoverageReport { Cluster = "retired", SurveyedAt = _plane.Clock.GetUtcNow() });
        await CoverageSweep.RunAsync(_plane.Context);

        var status = await StatusReport.BuildAsync(_plane.Context);

        Assert.Equal(["prod", "dr"], status.Coverage.Select(r => r.Cluster));
        Assert.Equal("scratch", Assert.Single(status.Coverage[0].Unprotected).Name);
        Assert.NotNull(status.Coverage[1].Error);
    }

    [Fact]
    public void Timer_IsDaily_OffTheHour()
    {
        var timer = ControlPlaneFunctions.Timer.Single(t => t.Name == "coverage");

        Assert.Equal(("0 23 4 * * *", TimeSpan.FromDays(1)), (timer.Schedule, timer.Period));
        Assert.Equal([Queues.Alerts], timer.Sends);
    }

    /// <summary>What the alert dispatcher does with the messages: record raises and resolves in the control state.</summary>
    private async Task RecordAsync(FunctionResult result)
    {
        foreach (var message in result.Messages)
        {
            _ = message.Payload is AlertRaised
                ? await _plane.State.RecordAlertAsync(message, _plane.Clock.GetUtcNow())
                : await _plane.State.ResolveAlertAsync(message, _plane.Clock.GetUtcNow());
        }
    }

    private async Task UntilGoneAsync()
    {
        for (var i = 0; i < 200 && await _client.GetAsync(VolumeSnapshotApi.Claims, "shop", "scratch") is not null; i++)
        {
            await Task.Delay(25);
        }
    }
}
