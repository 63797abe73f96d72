using Strata.Core.Volumes;

namespace Strata.Core.Tests.Volumes;

/// <summary>Go's duration syntax, as Velero reads its <c>…/timeout</c> annotations.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("300ms", 300)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("0", 0)]
    [InlineData("1500us", 1.5)]
    public void TryParse_GoDurations_AreRead(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30 seconds")]
    [InlineData("-5s")]
    [InlineData("1d")]
    [InlineData("")]
    [InlineData("s")]
    public void TryParse_Others_AreRefused(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(300, "300ms")]
    [InlineData(36_000_000, "10h")]
    public void Format_IsReadBack(double milliseconds, string expected)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Equal(expected, GoDuration.Format(duration));
        Assert.True(GoDuration.TryParse(expected, out var back));
        Assert.Equal(duration, back);
    }
}
