using Strata.Core.Restore.Snapshots;

namespace Strata.Core.Tests.Restore.Snapshots;

public sealed class SnapshotRestoreNamesTests
{
    private const string RestoreId = "20261130-061500-a1b2c3";

    [Fact]
    public void Names_ShortClaim_DerivedFromRestoreIdAndClaim()
    {
        Assert.Equal($"strata-{RestoreId}-shop-dr.data-postgres-0", SnapshotRestoreNames.Content(RestoreId, "shop-dr", "data-postgres-0"));
        Assert.Equal($"strata-{RestoreId}-data-postgres-0", SnapshotRestoreNames.Snapshot(RestoreId, "data-postgres-0"));
        Assert.Equal("data-postgres-0-backup-label", SnapshotRestoreNames.BackupLabelConfigMap("data-postgres-0"));
    }

    [Fact]
    public void Content_NamespaceAndClaimWithDashes_StayApart()
    {
        Assert.NotEqual(SnapshotRestoreNames.Content(RestoreId, "a-b", "c"), SnapshotRestoreNames.Content(RestoreId, "a", "b-c"));
    }

    [Fact]
    public void Names_LongestClaim_CutTo253WithADigest_DistinctAndValid()
    {
        var claim = new string('a', 240) + ".b";
        var other = new string('a', 240) + ".c";
        foreach (var name in new[]
        {
            SnapshotRestoreNames.Content(RestoreId, new string('n', 63), claim), SnapshotRestoreNames.Snapshot(RestoreId, claim),
            SnapshotRestoreNames.BackupLabelConfigMap(claim),
        })
        {
            Assert.Equal(SnapshotRestoreNames.MaxNameLength, name.Length);
            Assert.True(char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("..", StringComparison.Ordinal) && !name.Contains(".-", StringComparison.Ordinal));
        }

        Assert.NotEqual(SnapshotRestoreNames.Snapshot(RestoreId, claim), SnapshotRestoreNames.Snapshot(RestoreId, other));
    }

    [Fact]
    public void RestoreIdLabel_ValidLabelValueKept_LongerOneDigested()
    {
        Assert.Equal(RestoreId, SnapshotRestoreNames.RestoreIdLabel(RestoreId));
        var digested = SnapshotRestoreNames.RestoreIdLabel(new string('1', 64));
        Assert.Equal(22, digested.Length);
        Assert.StartsWith("h-", digested, StringComparison.Ordinal);
        Assert.Equal($"strata.dev/restore-id={RestoreId},app.kubernetes.io/managed-by=strata", SnapshotRestoreNames.Selector(RestoreId));
    }
}
