using CsCheck;
using Strata.Core.Kubernetes;
using Strata.TestKit.Fuzzing;

namespace Strata.Core.Tests.Fuzzing;

/// <summary>
/// <see cref="LabelSelector"/> on random and mutated selector strings: <c>Parse</c> throws nothing but
/// <see cref="FormatException"/>, <c>TryParse</c> nothing at all, and what parses prints back to an equal selector.
/// </summary>
public class LabelSelectorFuzzTests
{
    private static readonly string[] Seeds =
    [
        "tier!=cache,app in (web,api),!legacy", "app=web", "example.com/role notin (a, b)", "env", "!env", "a==b,c!=d", "x in ()", "",
        "k8s.io/name-with.dots_and-dashes=v-1.2_3",
    ];

    private static readonly string[] Tokens = ["=", "==", "!=", "!", ",", " in ", " notin ", "(", ")", "/", ".", "-", "_", " ", "a", "Z9", new string('a', 64), new string('b', 300)];

    [Fact]
    public void Parse_RandomText_ParsesOrThrowsFormatException() =>
        Gen.String[Gen.Char["abz09.-_/=!,() \t\0é"], 0, 80].Sample(text => Fuzz.Case(() => Check(text), e => e is FormatException), iter: 20_000);

    [Fact]
    public void Parse_MutatedSelector_ParsesOrThrowsFormatException() =>
        Fuzz.Mutated(Seeds, Tokens).Sample(text => Fuzz.Case(() => Check(text), e => e is FormatException), iter: 10_000);

    private static void Check(string text)
    {
        var tried = LabelSelector.TryParse(text, out var viaTry, out var error);
        Assert.True(tried == (error is null));
        LabelSelector parsed;
        try
        {
            parsed = LabelSelector.Parse(text);
        }
        catch (FormatException)
        {
            Assert.False(tried);
            throw;
        }

        Assert.True(tried);
        Assert.Equal(parsed.ToString(), viaTry.ToString());
        Assert.Equal(parsed.ToString(), LabelSelector.Parse(parsed.ToString()).ToString());
        parsed.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "db" });
    }
}
