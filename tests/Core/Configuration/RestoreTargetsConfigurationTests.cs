using Strata.Adapters.Hosting;
using Strata.Core.Configuration;

namespace Strata.Core.Tests.Configuration;

/// <summary>A policy's <c>restoreTargets</c> in strata.yaml: names, globs and tags read; absent means the policy's own clusters; bad entries located.</summary>
public sealed class RestoreTargetsConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod-weu
            context: prod-weu
            tags: { env: prod }
          - name: dr-neu
            context: dr-neu
            tags: { env: dr }
          - name: staging
            context: staging
        policies:
          - name: nightly
            clusters: [prod-weu]
            schedule: "30 2 * * *"
            restoreTargets: [prod-weu, "dr-*", "tag:env=dr"]
          - name: hourly
            clusters: [prod-weu]
            schedule: "0 * * * *"
          - name: frozen
            clusters: [staging]
            schedule: "0 3 * * *"
            restoreTargets: []
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    [Fact]
    public void Parse_RestoreTargets_ReadsNamesGlobsAndTags_NullWhenAbsent_EmptyWhenEmpty()
    {
        var configuration = Parse(Valid);

        Assert.Equal(["prod-weu", "dr-*", "tag:env=dr"], configuration.FindPolicy("nightly")!.RestoreTargets!.Select(s => s.Text));
        Assert.Null(configuration.FindPolicy("hourly")!.RestoreTargets);
        Assert.Empty(configuration.FindPolicy("frozen")!.RestoreTargets!);
    }

    [Theory]
    [InlineData("[prod-weu, \"dr-*\", \"tag:env=dr\"]", "[prod-weu, dr-weu]", "strata.yaml:14:32: policies[0].restoreTargets[1]: 'dr-weu' is not a cluster in this file")]
    [InlineData("[prod-weu, \"dr-*\", \"tag:env=dr\"]", "[\"qa-*\"]", "policies[0].restoreTargets[0]: 'qa-*' matches no cluster")]
    [InlineData("[prod-weu, \"dr-*\", \"tag:env=dr\"]", "[\"tag:env=qa\"]", "policies[0].restoreTargets[0]: 'tag:env=qa' matches no cluster")]
    [InlineData("[prod-weu, \"dr-*\", \"tag:env=dr\"]", "dr-neu", "strata.yaml:14:21: policies[0].restoreTargets: expected a list of cluster names, globs or tags")]
    [InlineData("restoreTargets: [prod-weu", "restoreTarget: [prod-weu", "policies[0].restoreTarget: unknown field 'restoreTarget'")]
    public void Parse_Invalid_NamesFileLineColumnAndField(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
