using Strata.Core.Runs;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Runs;

public sealed class BackupIdTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 21, 10, 0, 5, TimeSpan.FromHours(1));

    [Fact]
    public void New_IdSource_GivesTheUtcSecondAndTheSourcesDigits()
    {
        var ids = new SequentialIdSource();

        Assert.Equal(("20261121-090005-000001", "20261121-090005-000002"), (BackupId.New(Started, ids), BackupId.New(Started, ids)));
    }

    [Fact]
    public void New_NoIdSourceWired_FailsSayingWhatToPass()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BackupId.New(Started, Ports.UnwiredIdSource.Instance));

        Assert.Contains("needs an id source", error.Message, StringComparison.Ordinal);
    }
}
