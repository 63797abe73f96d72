namespace Strata.Dashboard.Tests;

/// <summary>How the browser test reads <c>strata serve</c>'s address off its first line.</summary>
public sealed class StrataServeTests
{
    [Fact]
    public void ParseAnnouncement_ContractLine_GivesTheAddress() =>
        Assert.Equal(new Uri("http://127.0.0.1:41234/"), StrataServe.ParseAnnouncement("strata: serving http://127.0.0.1:41234/"));

    [Theory]
    [InlineData("strata: running 2 policies")]
    [InlineData("strata: serving https://127.0.0.1:41234/")]
    [InlineData("strata: serving http://127.0.0.1/")]
    [InlineData("strata: serving http://127.0.0.1:41234/dashboard")]
    public void ParseAnnouncement_AnotherLine_FailsQuotingIt(string line) =>
        Assert.Contains($"not '{line}'", Assert.Throws<FormatException>(() => StrataServe.ParseAnnouncement(line)).Message);
}
