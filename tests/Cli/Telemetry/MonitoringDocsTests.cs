using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Adapters.Telemetry;
using Strata.TestKit;
using YamlDotNet.RepresentationModel;

namespace Strata.Cli.Tests.Telemetry;

/// <summary>
/// docs/monitoring's sample alert rules and Grafana dashboard use only metrics Strata exports: names the code defines
/// (<see cref="StrataMetrics.Names"/>) and a real scrape shows, so a renamed instrument fails here, not in someone's on-call;
/// and the rules' unit tests pass under promtool.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class MonitoringDocsTests(ScrapedFleet fleet)
{
    private static readonly string Folder = Path.Combine(Repository.Root, "docs", "monitoring");

    private static IReadOnlyList<string> Rules()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(Folder, "prometheus-rules.yaml"))))
        {
            yaml.Load(reader);
        }

        var groups = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"];
        return [.. groups.Cast<YamlMappingNode>().SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>()).Select(rule =>
        {
            Assert.True(rule.Children.ContainsKey("alert"), $"a rule without a name: {rule}");
            Assert.True(((YamlMappingNode)rule["labels"]).Children.ContainsKey("severity"), $"{rule["alert"]} has no severity");
            return ((YamlScalarNode)rule["expr"]).Value!;
        })];
    }

    private static IReadOnlyList<string> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "grafana-dashboard.json")))!.AsObject();
        Assert.Equal(("strata-recoverability", 39), (dashboard["uid"]!.GetValue<string>(), dashboard["schemaVersion"]!.GetValue<int>()));
        var panels = dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.All(panels, p => Assert.NotNull(p["gridPos"]));
        Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
        return [.. panels.SelectMany(p => p["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>())
            .Concat(dashboard["templating"]!["list"]!.AsArray().Select(v => v!["definition"]?.GetValue<string>()).OfType<string>())];
    }

    private static IEnumerable<string> MetricsIn(IEnumerable<string> queries) => queries.SelectMany(q => Metric().Matches(q).Select(m => m.Value)).Distinct();

    public static TheoryData<string> Files => new() { "prometheus-rules.yaml", "grafana-dashboard.json" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Samples_UseOnlyMetricsStrataExports_AsTheCodeNamesThem_AndAScrapeShowsThem(string file)
    {
        var used = MetricsIn(file.EndsWith(".yaml", StringComparison.Ordinal) ? Rules() : DashboardQueries()).ToList();
        var scraped = fleet.Samples.Select(s => s.Name).ToHashSet();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains(name, StrataMetrics.Names));
        Assert.All(used, name => Assert.Contains(name, scraped));
    }

    [Fact]
    public void Samples_Together_UseEveryMetricStrataExports()
    {
        var used = MetricsIn([.. Rules(), .. DashboardQueries()]).ToHashSet();

        Assert.Equal(StrataMetrics.Names.Order(), used.Order());
    }

    /// <summary>
    /// The rules' own unit tests (prometheus-rules.test.yaml: which alert fires for which series) pass under promtool, the
    /// Prometheus tool that evaluates them as Prometheus would. .ci/run installs it (Debian's prometheus); without it this fails.
    /// </summary>
    [Fact]
    public async Task PrometheusRules_PromtoolUnitTests_Pass()
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Assert.True(promtool is not null, "promtool is not installed (Debian package prometheus; .ci/run installs it)");
        var start = new System.Diagnostics.ProcessStartInfo(promtool!, ["test", "rules", "prometheus-rules.test.yaml"])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(process.ExitCode == 0, await output + await error);
        Assert.Contains("SUCCESS", await output + await error, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\bstrata_[a-z_]+\b")]
    private static partial Regex Metric();
}
