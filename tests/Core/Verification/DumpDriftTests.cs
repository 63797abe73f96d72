using Strata.Core.Databases;
using Strata.Core.Verification;

namespace Strata.Core.Tests.Verification;

/// <summary>
/// Drift of database dumps against the last verified backup is <see cref="DriftCheck"/>'s artifact-size rule
/// (dumps are compared by path like every artifact); rows per table are compared with
/// <see cref="DumpRowComparison"/> where expected rows are known.
/// </summary>
public sealed class DumpDriftTests
{
    private const string Dump = "databases/shop/postgres/app.dump";

    [Theory]
    [InlineData(3_000_000, 1_000_000, true)]
    [InlineData(3_000_000, 2_000_000, false)] // a third smaller: under the default threshold of half
    [InlineData(3_000_000, 0, true)]
    public void Compare_DumpShrank_WarnsBeyondTheThreshold(long before, long now, bool warned)
    {
        var findings = new VerificationFindings();

        DriftCheck.Compare(Report("b2", now), Report("b1", before), DriftCheck.DefaultThreshold, findings);

        Assert.Equal(warned, findings.Kept.Any(f => f.Check == "drift" && f.Artifact == Dump && f.Message.StartsWith("the artifact shrank by", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compare_DumpVanished_Warns()
    {
        var findings = new VerificationFindings();

        DriftCheck.Compare(Report("b2", null), Report("b1", 1000), DriftCheck.DefaultThreshold, findings);

        Assert.Equal("the artifact vanished since verified backup b1", Assert.Single(findings.Kept).Message);
    }

    [Fact]
    public void Compare_RowsDiffer_ErrorPerTable()
    {
        var findings = new VerificationFindings();
        DumpTable[] expected = [new("sales", "orders", 2500), new("sales", "customers", 250), new("public", "gone", 1), new("public", "parent", null)];
        DumpTable[] found = [new("sales", "orders", 2499), new("sales", "customers", 250), new("public", "new", 0), new("public", "parent", null)];

        var errors = DumpRowComparison.Compare(expected, found, Dump, findings);

        Assert.Equal(3, errors);
        Assert.Equal(
            [
                ("public.gone", "a table the capture recorded is not in the dump", "1 rows", "no table"),
                ("public.new", "a table the capture did not record is in the dump", "no table", "0 rows"),
                ("sales.orders", "the table's rows differ from those recorded at capture", "2500 rows", "2499 rows"),
            ],
            findings.Kept.Select(f => (f.Entry, f.Message, f.Expected, f.Found)));
    }

    private static VerificationReport Report(string id, long? dumpSize)
    {
        var at = new DateTimeOffset(2026, 11, 30, 2, 30, 0, TimeSpan.Zero);
        var artifacts = new List<ArtifactVerification> { new("resources.tar.gz", 5000, "aa", ["objects"], new Dictionary<string, string>()) };
        if (dumpSize is { } size)
        {
            artifacts.Add(new ArtifactVerification(Dump, size, "bb", ["pg_dump"], new Dictionary<string, string>()));
        }

        return new VerificationReport { BackupId = id, StartedAt = at, CompletedAt = at, Artifacts = artifacts };
    }
}
