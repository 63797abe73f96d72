using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Kubernetes;

public class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "frontend" };
    private static readonly Dictionary<string, string> Cache = new() { ["app"] = "redis", ["tier"] = "cache" };
    private static readonly Dictionary<string, string> Bare = [];

    [Theory]
    [InlineData("tier=frontend", true, false, false)]
    [InlineData("tier==frontend", true, false, false)]
    [InlineData("tier!=cache", true, false, true)]
    [InlineData("tier in (frontend,cache)", true, true, false)]
    [InlineData("tier notin (cache)", true, false, true)]
    [InlineData("tier", true, true, false)]
    [InlineData("!tier", false, false, true)]
    [InlineData("app=web,tier", true, false, false)]
    [InlineData("app in (web, redis),tier!=cache", true, false, false)]
    [InlineData("", true, true, true)]
    public void Matches_Operators_FollowKubernetesSemantics(string selector, bool web, bool cache, bool bare)
    {
        var parsed = LabelSelector.Parse(selector);

        Assert.Equal(web, parsed.Matches(Web));
        Assert.Equal(cache, parsed.Matches(Cache));
        Assert.Equal(bare, parsed.Matches(Bare));
    }

    [Theory]
    [InlineData("tier in frontend", "parentheses")]
    [InlineData("tier in ()", "at least one value")]
    [InlineData("-bad=x", "invalid label key")]
    [InlineData("tier=bad value!", "invalid label value")]
    [InlineData("tier ~ x", "unknown operator")]
    [InlineData("a,,b", "empty requirement")]
    public void Parse_Malformed_ThrowsNamingTheProblem(string selector, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

        Assert.Contains(expected, error.Message);
        Assert.Contains(selector, error.Message);
    }

    [Fact]
    public void ToString_RoundTrips()
    {
        var text = "app in (web,api),tier!=cache,!legacy,owner";

        Assert.Equal(text, LabelSelector.Parse(LabelSelector.Parse(text).ToString()).ToString());
    }

    [Fact]
    public void Parse_PrefixedKey_IsAccepted()
    {
        var selector = LabelSelector.Parse("app.kubernetes.io/name=web");

        Assert.True(selector.Matches(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "web" }));
    }
}
