using Strata.Core.Artifacts;
using Strata.Core.Verification;

namespace Strata.Core.Tests.Verification;

/// <summary>
/// <see cref="DriftCheck"/>'s object rules against a baseline: a resource type or namespace that vanished, one that
/// shrank beyond the threshold, and the small-baseline guard (<see cref="DriftCheck.MinimumForRatio"/>) under which
/// only vanishing counts.
/// </summary>
public sealed class DriftCheckTests
{
    [Fact]
    public void Compare_ResourceTypeVanished_WarnsNamingIt()
    {
        var before = Report("b1", resources: new() { ["configmaps"] = 20, ["secrets"] = 3 }, namespaces: new() { ["shop"] = 23 });
        var now = Report("b2", resources: new() { ["configmaps"] = 20 }, namespaces: new() { ["shop"] = 20 });

        var drift = Compare(now, before);

        var vanished = Assert.Single(drift, f => f.Message.StartsWith("resource type", StringComparison.Ordinal));
        Assert.Equal(("resource type secrets vanished since verified backup b1", "3", "0"), (vanished.Message, vanished.Expected, vanished.Found));
    }

    [Fact]
    public void Compare_NamespaceVanished_WarnsNamingIt()
    {
        var before = Report("b1", resources: new() { ["configmaps"] = 24 }, namespaces: new() { ["shop"] = 20, ["billing"] = 4 });
        var now = Report("b2", resources: new() { ["configmaps"] = 20 }, namespaces: new() { ["shop"] = 20 });

        var drift = Compare(now, before);

        var vanished = Assert.Single(drift);
        Assert.Equal(("namespace billing vanished since verified backup b1", "4 objects", "0"), (vanished.Message, vanished.Expected, vanished.Found));
        Assert.Equal((DriftCheck.Name, ArtifactLayout.Manifest), (vanished.Check, vanished.Artifact));
    }

    [Fact]
    public void Compare_NamespaceShrankBeyondTheThreshold_WarnsWithTheShare()
    {
        // The types hold steady overall (another namespace grew): only the namespace's own count shows the loss.
        var before = Report("b1", resources: new() { ["configmaps"] = 40 }, namespaces: new() { ["shop"] = 30, ["billing"] = 10 });
        var now = Report("b2", resources: new() { ["configmaps"] = 40 }, namespaces: new() { ["shop"] = 10, ["billing"] = 30 });

        var drift = Compare(now, before);

        var shrank = Assert.Single(drift);
        Assert.Equal(("objects of namespace shop shrank by 67 % since verified backup b1", "30", "10"), (shrank.Message, shrank.Expected, shrank.Found));
    }

    [Theory]
    [InlineData(30, 16, false)] // 47 % smaller: within the default threshold of half
    [InlineData(30, 14, true)]
    [InlineData(10, 4, true)] // at the minimum, the ratio counts
    [InlineData(9, 1, false)] // below the minimum: too small for a ratio to mean anything
    public void Compare_NamespaceShrank_WarnsBeyondTheThresholdFromTheMinimumUp(long was, long count, bool warned)
    {
        var before = Report("b1", resources: new() { ["configmaps"] = 100 }, namespaces: new() { ["shop"] = was, ["rest"] = 100 - was });
        var now = Report("b2", resources: new() { ["configmaps"] = 100 }, namespaces: new() { ["shop"] = count, ["rest"] = 100 - count });

        var drift = Compare(now, before);

        Assert.Equal(warned, drift.Any(f => f.Message.StartsWith("objects of namespace shop shrank", StringComparison.Ordinal)));
    }

    [Fact]
    public void Compare_SmallTypeAndNamespaceShrankBelowTheMinimum_NotFlagged_VanishingStillIs()
    {
        var before = Report("b1", resources: new() { ["configmaps"] = 100, ["secrets"] = 9, ["services"] = 2 },
            namespaces: new() { ["shop"] = 100, ["billing"] = 9, ["audit"] = 2 });
        var now = Report("b2", resources: new() { ["configmaps"] = 100, ["secrets"] = 1 },
            namespaces: new() { ["shop"] = 100, ["billing"] = 1 });

        var drift = Compare(now, before);

        Assert.Equal(
            ["namespace audit vanished since verified backup b1", "resource type services vanished since verified backup b1"],
            drift.Select(f => f.Message).Order(StringComparer.Ordinal));
    }

    private static List<VerificationFinding> Compare(VerificationReport now, VerificationReport before)
    {
        var findings = new VerificationFindings();
        DriftCheck.Compare(now, before, DriftCheck.DefaultThreshold, findings);
        return [.. findings.Kept.Where(f => f.Check == DriftCheck.Name)];
    }

    private static VerificationReport Report(string id, Dictionary<string, long> resources, Dictionary<string, long> namespaces)
    {
        var at = new DateTimeOffset(2026, 11, 30, 2, 30, 0, TimeSpan.Zero);
        return new VerificationReport
        {
            BackupId = id,
            StartedAt = at,
            CompletedAt = at,
            // The same archive size both times: only the object rules are under test.
            Artifacts = [new(ArtifactLayout.ResourcesArchive, 5000, "aa", ["objects"], new Dictionary<string, string>())],
            Counts = new ObjectCounts(resources.Values.Sum(), resources, namespaces),
        };
    }
}
