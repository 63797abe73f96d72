using System.Text.RegularExpressions;
using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.TestKit;

namespace Strata.Core.Tests.Configuration;

/// <summary>
/// Every policy snippet in docs/recipes is a valid strata.yaml policy, read as users will paste it, and one whose drill queries
/// run. That each one works is <c>RecipeCommandTests</c>' (tests/Cli): the snippets run through the CLI.
/// </summary>
public sealed partial class RecipeTests
{
    public static TheoryData<string> Recipes() => [.. Directory.GetFiles(Path.Combine(Repository.Root, "docs", "recipes"), "*.md").Select(Path.GetFileName).OfType<string>().Order()];

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Recipe_PolicySnippet_ParsesAsStrataYaml(string file)
    {
        var markdown = File.ReadAllText(Path.Combine(Repository.Root, "docs", "recipes", file));
        var snippets = YamlBlock().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(snippets);

        foreach (var snippet in snippets)
        {
            var configuration = ConfigurationLoader.Parse("clusters:\n  - name: prod\n    context: prod\n" + snippet, file, SystemTimeZones.Instance);

            var policy = Assert.Single(configuration.Policies);
            Assert.True(policy.Databases.Count + policy.Applications.Count > 0, $"{file}: the recipe protects no database or application");
            Assert.False(policy.Databases.Any(d => d.DrillQueries.Count > 0) && policy.Verification.Drill is null,
                $"{file}: the recipe gives drill queries but no verification.drill, so they never run");
        }
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
