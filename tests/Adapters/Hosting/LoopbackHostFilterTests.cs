using Strata.Adapters.Hosting;

namespace Strata.Adapters.Tests.Hosting;

/// <summary>Which addresses the loopback Host filter guards, and which Host names it lets through there.</summary>
public sealed class LoopbackHostFilterTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("::1", true)]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("10.0.0.5", false)]
    public void Applies_AnAddress_OnlyOnLoopback(string address, bool expected) =>
        Assert.Equal(expected, LoopbackHostFilter.Applies(address));

    [Theory]
    [InlineData("127.0.0.1", new[] { "localhost", "127.0.0.1", "[::1]" })]
    [InlineData("127.0.0.2", new[] { "localhost", "127.0.0.1", "[::1]", "127.0.0.2" })]
    [InlineData("::1", new[] { "localhost", "127.0.0.1", "[::1]" })]
    public void Hosts_ALoopbackAddress_AreLoopbackNamesAndTheBoundAddress(string address, string[] expected) =>
        Assert.Equal(expected, LoopbackHostFilter.Hosts(address));
}
