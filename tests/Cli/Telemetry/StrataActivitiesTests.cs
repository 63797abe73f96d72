using System.Diagnostics;
using Strata.Core.Status;
using Strata.Core.Telemetry;

namespace Strata.Cli.Tests.Telemetry;

/// <summary>The spans of a backup's stages, its verification and a drill, as an OpenTelemetry listener sees them.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class StrataActivitiesTests(ScrapedFleet fleet)
{
    private static readonly string[] Tags =
        [StrataActivities.ClusterTag, StrataActivities.PolicyTag, StrataActivities.BackupIdTag, StrataActivities.LayerTag, StrataActivities.LayerReportTag, StrataActivities.StatusTag, StrataActivities.DrillIdTag];

    private List<Activity> Of(string backupId) => [.. fleet.Spans.Where(s => s.GetTagItem(StrataActivities.BackupIdTag) as string == backupId)];

    [Fact]
    public void Backup_EachStage_IsASpanUnderTheBackups_TaggedWithClusterPolicyAndId()
    {
        var spans = Of(fleet.Prod.Id);
        var backup = Assert.Single(spans, s => s.OperationName == "backup");

        Assert.Equal(("prod", "hourly", "Succeeded"), (backup.GetTagItem(StrataActivities.ClusterTag), backup.GetTagItem(StrataActivities.PolicyTag), backup.GetTagItem(StrataActivities.StatusTag)));
        foreach (var stage in new[] { "backup.plan", "backup.capture", "backup.manifest" })
        {
            var span = Assert.Single(spans, s => s.OperationName == stage);
            Assert.Equal(backup.SpanId, span.ParentSpanId);
            Assert.Equal(("prod", "hourly"), (span.GetTagItem(StrataActivities.ClusterTag), span.GetTagItem(StrataActivities.PolicyTag)));
        }

        Assert.Equal(BackupLayers.Objects, spans.Single(s => s.OperationName == "backup.capture").GetTagItem(StrataActivities.LayerTag));
        Assert.Equal("Verified", Assert.Single(spans, s => s.OperationName == "backup.verify").GetTagItem(StrataActivities.StatusTag));
    }

    [Fact]
    public void Drill_IsASpan_WithItsIdAndOutcome()
    {
        var drill = Assert.Single(Of(fleet.Prod.Id), s => s.OperationName == "drill");

        Assert.Equal((fleet.Drill.Id, "Passed"), (drill.GetTagItem(StrataActivities.DrillIdTag), drill.GetTagItem(StrataActivities.StatusTag)));
    }

    [Fact]
    public void Spans_CarryOnlyStratasOwnTags_NoValueOfTheWork()
    {
        var ours = fleet.Spans.Where(s => s.GetTagItem(StrataActivities.BackupIdTag) is string id && (id == fleet.Prod.Id || id == fleet.Dr.Id)).ToList();

        Assert.NotEmpty(ours);
        Assert.All(ours, s => Assert.All(s.TagObjects, t => Assert.Contains(t.Key, Tags)));
        Assert.DoesNotContain(ours, s => s.TagObjects.Any(t => t.Value is string v && v.Contains(fleet.World.Prod.AdminToken, StringComparison.Ordinal)));
    }
}
