using Strata.Adapters.Azure.Table;
using Strata.Core.Runs;
using Strata.TestKit.Fakes;

namespace Strata.Adapters.Tests.Azure;

public sealed class RunKeysTests
{
    [Fact]
    public void Keys_SortNewestFirst_AcrossMonthsAndWithinASecond()
    {
        var ids = new[]
        {
            "20261121-100000-aaaaaa", "20261121-100000-ffffff", "20261121-100001-000000",
            "20261130-235959-abcdef", "20261201-000000-000000", "20270101-000000-000000", "20251231-235959-zzzzzz",
        };

        var byKeys = ids.OrderBy(id => RunKeys.Partition(id), StringComparer.Ordinal).ThenBy(id => RunKeys.Row(id), StringComparer.Ordinal);

        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), byKeys);
    }

    [Fact]
    public void Row_IsReversible_AndAPrefixSortsAfterItsExtension()
    {
        var id = BackupId.New(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), new SequentialIdSource());

        Assert.Equal(id, RunKeys.IdOf(RunKeys.Row(id)));
        Assert.True(string.CompareOrdinal(RunKeys.Row("abc-1"), RunKeys.Row("abc")) < 0);
    }

    [Fact]
    public void Keys_HoldNoCharacterTablesForbid() =>
        Assert.DoesNotContain(RunKeys.Row("20261121-100000-az09--"), c => c is '/' or '\\' or '#' or '?');
}
