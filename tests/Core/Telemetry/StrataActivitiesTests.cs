using System.Collections.Concurrent;
using System.Diagnostics;
using Strata.Core.ControlPlane;
using Strata.Core.Runs;
using Strata.Core.Status;
using Strata.Core.Telemetry;
using Strata.Core.Tests.ControlPlane;
using Strata.Core.Tests.Drills;

namespace Strata.Core.Tests.Telemetry;

/// <summary>Strata's spans as a listener sees them: failures marked Error with their reason (URLs redacted), layers in the metrics' words.</summary>
public sealed class StrataActivitiesTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private readonly ControlPlaneFakes _plane = ControlPlaneFakes.Create();

    public StrataActivitiesTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StrataActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    private Activity Span(string name, string backupId) =>
        Assert.Single(_spans, s => s.OperationName == name && s.GetTagItem(StrataActivities.BackupIdTag) as string == backupId);

    [Fact]
    public void Fail_AReasonWithAUrl_MarksTheSpanError_WithTheAddressRedacted()
    {
        using (var span = StrataActivities.Start("backup", "prod", "nightly", "telemetry-fail-1"))
        {
            StrataActivities.Fail(span, new HttpRequestException("GET https://prod.example:6443/api/v1/secrets?token=s3cret failed"));
        }

        var ended = Span("backup", "telemetry-fail-1");
        Assert.Equal((ActivityStatusCode.Error, "GET [address] failed"), (ended.Status, ended.StatusDescription));
    }

    [Theory]
    [InlineData("objects", BackupLayers.Objects)]
    [InlineData("volumes", BackupLayers.Volumes)]
    [InlineData("databases", BackupLayers.Databases)]
    [InlineData("cloudnativepg", BackupLayers.Databases)]
    [InlineData("wal-archiving", BackupLayers.Databases)]
    [InlineData("applications", BackupLayers.Databases)]
    [InlineData("etcd", BackupLayers.Etcd)]
    [InlineData("something-new", null)]
    public void TagLayer_AReportName_TagsItApart_FromTheBackupLayerItsArtifactsFallIn(string report, string? layer)
    {
        var id = "telemetry-layer-" + report;
        using (var span = StrataActivities.Start("backup.capture", "prod", "nightly", id))
        {
            StrataActivities.TagLayer(span, report);
        }

        var ended = Span("backup.capture", id);
        Assert.Equal((report, layer), (ended.GetTagItem(StrataActivities.LayerReportTag), ended.GetTagItem(StrataActivities.LayerTag)));
    }

    [Fact]
    public async Task Backup_NothingCaptured_IsAnErrorSpan_ThoughNothingThrew()
    {
        var cluster = await _plane.AddClusterAsync("prod");
        _plane.Clusters.Clusters["prod"] = new ForbiddingCluster(cluster, _ => true);
        var request = _plane.Request("telemetry-nothing-captured");

        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(request));

        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(BackupStatus.Failed, record.Status);
        var span = Span("backup", record.Id);
        Assert.Equal((ActivityStatusCode.Error, record.Error), (span.Status, span.StatusDescription));
    }

    [Fact]
    public async Task VerifyAsync_AFailedVerification_IsAnErrorSpan()
    {
        var record = await BackUpAsync("telemetry-verify-failed");
        _plane.Store.Artifacts.Remove(_plane.Store.Artifacts.Keys.First(k => k.StartsWith(record.Location, StringComparison.Ordinal) && k.EndsWith(".tar.gz", StringComparison.Ordinal)));

        var verified = await VerifyWorker.VerifyAsync(_plane.Context, record);

        Assert.Equal(BackupStatus.VerificationFailed, verified.Status);
        Assert.Equal(ActivityStatusCode.Error, Span("backup.verify", record.Id).Status);
    }

    [Fact]
    public async Task VerifyAsync_Throwing_IsAnErrorSpan_AndStillThrows()
    {
        var record = await BackUpAsync("telemetry-verify-throws");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => VerifyWorker.VerifyAsync(_plane.Context, record, cancelled.Token));

        var span = Span("backup.verify", record.Id);
        Assert.Equal((ActivityStatusCode.Error, "cancelled"), (span.Status, span.StatusDescription));
    }

    [Fact]
    public async Task Drill_AFailedDrill_IsAnErrorSpan_WithTheAddressRedacted()
    {
        var fakes = await DrillFakes.CreateAsync("{ target: dr }");
        var backup = await fakes.BackUpAsync("telemetry-drill");
        fakes.Plane.Clusters.Clusters.Remove("dr");

        var (drill, _, _) = await fakes.DrillAsync(backup, "telemetry-drill-request");

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        var span = Assert.Single(_spans, s => s.OperationName == "drill" && s.GetTagItem(StrataActivities.DrillIdTag) as string == drill.Id);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.StartsWith("cluster dr: cannot reach [address]", span.StatusDescription, StringComparison.Ordinal);
        Assert.DoesNotContain("://", span.StatusDescription, StringComparison.Ordinal);
    }

    private async Task<BackupRecord> BackUpAsync(string messageId)
    {
        await _plane.AddClusterAsync("prod");
        await BackupWorker.HandleAsync(_plane.Context, ControlPlaneFakes.Delivery(_plane.Request(messageId)));
        var record = Assert.Single(await _plane.History.ListBackupsAsync().ToListAsync());
        Assert.Equal(BackupStatus.Succeeded, record.Status);
        return record;
    }
}
