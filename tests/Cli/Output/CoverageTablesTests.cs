using Spectre.Console;
using Strata.Cli.Output;
using Strata.Core.Coverage;

namespace Strata.Cli.Tests.Output;

/// <summary>The coverage tables of stored reports: a trimmed report's counts and a survey that failed after a good one.</summary>
public sealed class CoverageTablesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 4, 23, 0, TimeSpan.Zero);

    private static readonly CoverageEntry Scratch =
        new(StatefulKind.PersistentVolumeClaim, "shop", "scratch", CoverageState.Unprotected, "StorageClass local-path", "no VolumeSnapshotClass");

    [Fact]
    public void Counts_TrimmedReport_CountsWhatWasLeftOut()
    {
        var report = new CoverageReport { Cluster = "huge", SurveyedAt = Now, Entries = [Scratch], OmittedCovered = 99_000, OmittedUnprotected = 500 };

        Assert.Equal("99501 stateful thing(s): 0 protected, 0 rebuildable, 501 UNPROTECTED (99500 entries not kept: 99000 protected or rebuildable, 500 unprotected)",
            CoverageTables.Counts(report));
    }

    [Fact]
    public void Write_FailedAfterAGoodSurvey_SaysNotSurveyedSince_ThenTheLastGoodCounts()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 400; // one line per sentence, not wrapped at 80
        var report = new CoverageReport { Cluster = "prod", SurveyedAt = Now, Entries = [Scratch], LastError = "cannot reach [address]", LastAttemptAt = Now.AddDays(1) };

        CoverageTables.Write(console, report);

        Assert.Contains("prod: NOT SURVEYED since 2026-11-21 04:23:00Z (last tried 2026-11-22 04:23:00Z): cannot reach [address]", output.ToString());
        Assert.Contains("prod: 1 stateful thing(s): 0 protected, 0 rebuildable, 1 UNPROTECTED (surveyed 2026-11-21 04:23:00Z)", output.ToString());
    }
}
