using Strata.Cli.Output;
using Strata.Core.Configuration;
using Strata.Core.Databases;
using Strata.Core.Runs;

namespace Strata.Cli.Tests.Output;

/// <summary>The human-readable drill summary: each database drill says where it ran, as the JSON does.</summary>
public sealed class DrillTablesTests
{
    [Fact]
    public void Summary_DatabaseDrills_ShowWhereEachRan_OrADashWhenNoServerWasReached()
    {
        var output = new StringWriter();
        var drill = new DrillRecord
        {
            Id = "drill-1", BackupId = "20261130-010000-abcdef", Policy = "nightly", Cluster = "prod", Target = "prod", Mode = DrillMode.Scratch,
            Status = DrillStatus.Failed, StartedAt = DateTimeOffset.UnixEpoch,
            Databases =
            [
                new DatabaseDrillResult { Target = "shop", Database = "app", Scratch = "strata_drill_abcdef", RanIn = "db/shop's drill server (this host)", Passed = true, Dropped = true },
                new DatabaseDrillResult { Target = "crm", Database = "leads", Scratch = "", Passed = false, Error = "unreachable" },
            ],
        };

        DrillTables.Summary(new CliEnvironment(output, TextWriter.Null, _ => null, false, TimeProvider.System), drill);

        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("RAN IN", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("shop/app", StringComparison.Ordinal) && l.Contains("db/shop's drill server (this host)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("crm/leads", StringComparison.Ordinal) && l.Contains(" - ", StringComparison.Ordinal));
    }
}
