using Strata.Core.Databases;
using Strata.Core.Freshness;

namespace Strata.Core.Tests.Databases;

/// <summary>Reading <c>pg_stat_archiver</c> as <c>psql --tuples-only --no-align</c> prints it.</summary>
public sealed class PostgresArchiverTests
{
    [Fact]
    public void Parse_ARow_ReadsEveryField_TimesAsUtc()
    {
        var reading = PostgresArchiver.Parse("on\t1204\t00000001000000000000004C\t1795262400.123456\t2\t00000001000000000000004D\t1795262460\t1795176000.5\t1795262520.000001\n");

        Assert.Equal((WalArchiverSource.PgStatArchiver, "on", 1204L, "00000001000000000000004C"), (reading.Source, reading.ArchiveMode, reading.ArchivedCount, reading.LastArchivedWal));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560), reading.LastArchivedAt);
        Assert.Equal((2L, "00000001000000000000004D"), (reading.FailedCount, reading.LastFailedWal));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 1, 0, TimeSpan.Zero), reading.LastFailedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 12, 0, 0, 500, TimeSpan.Zero), reading.StatsResetAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 2, 0, TimeSpan.Zero).AddTicks(10), reading.ReadAt);
    }

    [Fact]
    public void Parse_NothingArchivedYet_LeavesTheTimesNull()
    {
        var reading = PostgresArchiver.Parse("always\t0\t\t\t\t0\t\t\t1795262520\n");

        Assert.Equal(("always", 0L, null, null, null), (reading.ArchiveMode, reading.ArchivedCount, reading.LastArchivedWal, reading.LastArchivedAt, reading.LastFailedAt));
        Assert.Null(reading.StatsResetAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("on\t1\t2\t3\n")]
    [InlineData("on\tmany\t\t\t0\t\t\t\t1795262520\n")]
    [InlineData("on\t0\t\t\t\t0\t\t\t\t\n")]
    public void Parse_NotARow_IsAFormatException(string output)
    {
        Assert.Throws<FormatException>(() => PostgresArchiver.Parse(output));
    }
}
