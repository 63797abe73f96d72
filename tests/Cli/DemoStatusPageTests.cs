using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.TestKit;

namespace Strata.Cli.Tests;

/// <summary><c>strata demo</c>'s last step: the status page of what it ran, written beside its store.</summary>
public sealed class DemoStatusPageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Demo_WritesTheStatusPageUnderItsStore_AndSaysWhereOnOneLine()
    {
        var store = Path.Combine(_dir.Path, "store");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await StrataCli.RunAsync(["demo", "--store", store, "-o", "json"], new CliEnvironment(stdout, stderr, _ => null, false, TimeProvider.System));

        Assert.True(code == 0, stderr.ToString());
        Assert.NotNull(JsonNode.Parse(stdout.ToString())!["backup"]); // standard output is still the demo's one JSON document
        var line = Assert.Single(stderr.ToString().Split('\n'), l => l.StartsWith("strata demo: status page written to ", StringComparison.Ordinal));
        var path = Path.Combine(store, "status.html");
        Assert.Contains(path, line);
        var html = await File.ReadAllTextAsync(path);
        Assert.Contains("<td data-cluster=\"sandbox\" data-policy=\"demo-hourly\" data-state=\"fresh\" data-layers=\"objects\"", html);
        Assert.Contains("<li data-alert=\"backup-partial/demo-hourly/sandbox\" data-status=\"resolved\"", html);
        Assert.NotEmpty(Regex.Matches(html, "<circle data-drill="));
        Assert.DoesNotContain("http://", html); // the sandbox's and the webhook's addresses
        Assert.DoesNotContain("https://", html);
    }
}
