using Microsoft.Playwright;
using Strata.Core.Freshness;
using Strata.Core.Status;
using Strata.Dashboard.Tests.Browser;
using Strata.TestKit;
using Xunit.Abstractions;

namespace Strata.Dashboard.Tests;

/// <summary>
/// The status page in a real browser: headless Debian Chromium, driven by Playwright, reads the page <c>strata serve</c>
/// renders from a <see cref="FleetWorld"/> (a control plane that ran thirty hours over four sandbox clusters and left them
/// fresh, at risk, breached, never proven and uncovered), and checks it against the page's contract: each grid cell's state,
/// one chart point per drill and per committed backup with the history's ids, the open alerts, no console error, no request
/// off the page's origin, keyboard focus that shows, text alternatives, and a 404 for a cluster strata.yaml does not name.
/// A full-page screenshot is saved as <c>dashboard.png</c> in <see cref="TestArtifacts.Folder"/> (<c>$STRATA_TEST_ARTIFACTS</c>,
/// which .ci/run sets to <c>artifacts/</c> at the repository root; else <c>artifacts/</c> beside the test assembly).
/// </summary>
public sealed class DashboardBrowserTests(ServedFleet fleet, ITestOutputHelper output) : IClassFixture<ServedFleet>
{
    /// <summary>How each state reads on the page, for people (the contract: shown by text, never colour alone).</summary>
    private static readonly Dictionary<string, string> StateWords = new(StringComparer.Ordinal)
    {
        ["fresh"] = "fresh",
        ["at-risk"] = "at risk",
        ["breached"] = "breached",
        ["never-proven"] = "never proven",
    };

    private async Task<WatchedPage> LoadAsync(string query = "", int status = 200)
    {
        var page = await fleet.Chromium.OpenAsync(fleet.Serve.Url);
        var response = await page.Page.GotoAsync(new Uri(fleet.Serve.Url, query).AbsoluteUri);
        Assert.True(response?.Status == status, $"GET /{query}: {response?.Status}, expected {status}; strata serve said: {fleet.Serve.Error}");
        return page;
    }

    private static string Cell(string cluster, string policy) => $"table#fleet td[data-cluster=\"{cluster}\"][data-policy=\"{policy}\"]";

    private static string Chart(string kind, string cluster, string policy) => $"svg[data-chart=\"{kind}\"][data-cluster=\"{cluster}\"][data-policy=\"{policy}\"]";

    private static async Task<List<string>> AttributesAsync(ILocator locator, string attribute) =>
        [.. (await locator.EvaluateAllAsync<string?[]>($"nodes => nodes.map(n => n.getAttribute('{attribute}'))")).Select(v => v ?? "")];

    [Fact]
    public async Task Dashboard_Fleet_EachCellHasItsPairsStateAndSaysItInText()
    {
        await using var page = await LoadAsync();
        var grid = page.Page.Locator("table#fleet");

        Assert.Equal(1, await grid.CountAsync());
        foreach (var cluster in FleetWorld.ClusterNames)
        {
            var row = grid.Locator($"tr[data-cluster=\"{cluster}\"]");
            Assert.True(await row.CountAsync() == 1, $"table#fleet tr[data-cluster=\"{cluster}\"]: {await row.CountAsync()} rows");
            Assert.Contains(cluster, await row.Locator("th[scope=row]").InnerTextAsync());
        }

        var columns = await grid.Locator("th[scope=col]").AllInnerTextsAsync();
        Assert.All(FleetWorld.PolicyNames, policy => Assert.Contains(columns, c => c.Contains(policy, StringComparison.Ordinal)));

        foreach (var ((cluster, policy), expected) in FleetWorld.ExpectedStates)
        {
            var cell = page.Page.Locator(Cell(cluster, policy));
            Assert.True(await cell.CountAsync() == 1, $"{Cell(cluster, policy)}: {await cell.CountAsync()} cells");
            Assert.True(await cell.GetAttributeAsync("data-state") == expected, $"{Cell(cluster, policy)}: data-state '{await cell.GetAttributeAsync("data-state")}', expected '{expected}'");
            var text = (await cell.InnerTextAsync()).Trim();
            Assert.False(text.Length == 0, $"{Cell(cluster, policy)} ({expected}) shows no text");
            if (StateWords.TryGetValue(expected, out var words))
            {
                Assert.True(text.Replace('-', ' ').Contains(words, StringComparison.OrdinalIgnoreCase), $"{Cell(cluster, policy)} should say '{words}': '{text}'");
            }
        }

        // The fresh pair's cell names its last drill's RTO, as measured.
        var lastDrill = (await fleet.World.DrillsAsync()).Where(d => (d.Cluster, d.Policy) == FleetWorld.FreshPair).MaxBy(d => d.StartedAt)!;
        var fresh = await page.Page.Locator(Cell(FleetWorld.FreshPair.Cluster, FleetWorld.FreshPair.Policy)).InnerTextAsync();
        Assert.True(fresh.Contains("RTO", StringComparison.Ordinal) && fresh.Contains(lastDrill.RtoSeconds!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            $"the fresh cell should show the last drill's RTO ({lastDrill.RtoSeconds:0.000} s): '{fresh}'");

        // The layers of each pair's last verified backup, as BackupLayers reads them off its artifacts; none for a pair never verified.
        var backups = await fleet.World.BackupsAsync();
        foreach (var ((cluster, policy), _) in FleetWorld.ExpectedStates.Where(e => e.Value != "none"))
        {
            var verified = backups.Where(b => b.Cluster == cluster && b.Policy == policy && b.IsVerified).MaxBy(b => b.StartedAt);
            var layers = verified is null ? "" : string.Join(' ', BackupLayers.Held(verified));
            Assert.Equal(layers, await page.Page.Locator(Cell(cluster, policy)).GetAttributeAsync("data-layers") ?? "");
        }

        page.AssertQuiet();
    }

    [Fact]
    public async Task Dashboard_RtoChart_HasOnePointPerDrillThatMeasuredAnRto_WithTheHistorysIds()
    {
        var drills = await fleet.World.DrillsAsync();
        await using var page = await LoadAsync();

        var (cluster, policy) = FleetWorld.FreshPair;
        var chart = page.Page.Locator(Chart("rto", cluster, policy));
        Assert.True(await chart.CountAsync() == 1, $"{Chart("rto", cluster, policy)}: {await chart.CountAsync()} charts");
        var expected = drills.Where(d => (d.Cluster, d.Policy) == FleetWorld.FreshPair && d.RtoSeconds is not null).Select(d => d.Id).Order().ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, (await AttributesAsync(chart.Locator("circle[data-drill]"), "data-drill")).Order());

        // Every other RTO chart on the page: the drills of its own pair, none of another's.
        foreach (var other in await page.Page.Locator("svg[data-chart=rto]").AllAsync())
        {
            var (c, p) = (await other.GetAttributeAsync("data-cluster"), await other.GetAttributeAsync("data-policy"));
            var ids = (await AttributesAsync(other.Locator("circle[data-drill]"), "data-drill")).Order();
            Assert.Equal(drills.Where(d => d.Cluster == c && d.Policy == p && d.RtoSeconds is not null).Select(d => d.Id).Order(), ids);
        }
    }

    [Theory]
    [InlineData("size")]
    [InlineData("objects")]
    public async Task Dashboard_BackupCharts_HaveOnePointPerCommittedBackup_WithTheHistorysIds(string kind)
    {
        var backups = await fleet.World.BackupsAsync();
        await using var page = await LoadAsync();

        var (cluster, policy) = FleetWorld.FreshPair;
        Assert.Equal(1, await page.Page.Locator(Chart(kind, cluster, policy)).CountAsync());
        var charts = await page.Page.Locator($"svg[data-chart=\"{kind}\"]").AllAsync();
        foreach (var chart in charts)
        {
            var (c, p) = (await chart.GetAttributeAsync("data-cluster"), await chart.GetAttributeAsync("data-policy"));
            var expected = backups.Where(b => b.Cluster == c && b.Policy == p && b.IsCommitted).Select(b => b.Id).Order().ToList();
            var ids = (await AttributesAsync(chart.Locator("circle[data-backup]"), "data-backup")).Order().ToList();
            Assert.True(expected.SequenceEqual(ids), $"{Chart(kind, c!, p!)}: points {string.Join(", ", ids)}; committed backups {string.Join(", ", expected)}");
        }

        Assert.Equal(3, backups.Count(b => (b.Cluster, b.Policy) == FleetWorld.FreshPair && b.IsCommitted));
    }

    [Fact]
    public async Task Dashboard_Alerts_ListTheOpenRpoBreach_AndEachIncidentAsTheHistoryHasIt()
    {
        var incidents = await fleet.World.Location.State.ListAlertsAsync().ToListAsync();
        await using var page = await LoadAsync();

        var (cluster, policy) = FleetWorld.BreachedPair;
        var breach = page.Page.Locator($"section#alerts li[data-alert=\"{RecoveryPointObjectives.DedupKey(policy, cluster)}\"]");
        Assert.Equal(1, await breach.CountAsync());
        Assert.Equal("open", await breach.GetAttributeAsync("data-status"));
        Assert.Contains(cluster, await breach.InnerTextAsync());

        foreach (var item in await page.Page.Locator("section#alerts li[data-alert]").AllAsync())
        {
            var key = await item.GetAttributeAsync("data-alert");
            var incident = Assert.Single(incidents, i => i.DedupKey == key);
            Assert.Equal(incident.Status.ToString().ToLowerInvariant(), await item.GetAttributeAsync("data-status"));
        }
    }

    [Fact]
    public async Task Dashboard_Coverage_ShowsEverySurveyedEntryInItsState()
    {
        await using var page = await LoadAsync();

        // The fleet's coverage pass surveyed every listening cluster; the page lists exactly the stored entries.
        var surveyed = await fleet.World.Context.State.ListCoverageAsync().ToListAsync();
        var expected = surveyed.SelectMany(r => r.Entries.Select(e => (r.Cluster, State: e.State.ToString().ToLowerInvariant()))).ToList();
        Assert.NotEmpty(expected);
        Assert.Contains(expected, e => e.State == "unprotected");

        Assert.Equal(1, await page.Page.Locator("section#coverage").CountAsync());
        var rows = await page.Page.Locator("section#coverage tr[data-state]").AllAsync();
        var shown = new List<(string, string)>();
        foreach (var entry in rows)
        {
            Assert.False(string.IsNullOrEmpty(await entry.GetAttributeAsync("data-kind")));
            shown.Add((await entry.GetAttributeAsync("data-cluster") ?? "", await entry.GetAttributeAsync("data-state") ?? ""));
        }

        Assert.Equal(expected.Order().ToList(), shown.Order().ToList());
    }

    [Fact]
    public async Task Dashboard_Loaded_LogsNoErrorAndAsksForNothingOffItsOrigin_AndIsScreenshotted()
    {
        await using var page = await LoadAsync();
        var response = await page.Page.Context.APIRequest.GetAsync(fleet.Serve.Url.AbsoluteUri);

        var path = TestArtifacts.PathOf("dashboard.png");
        await page.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");

        Assert.Equal("text/html; charset=utf-8", response.Headers["content-type"]);
        var csp = response.Headers["content-security-policy"];
        Assert.All(["default-src 'none'", "img-src data:", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'", "style-src 'sha256-"],
            directive => Assert.Contains(directive, csp, StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal(0, await page.Page.Locator("[style], script, link[rel=stylesheet], iframe").CountAsync());

        // No URL to anywhere else in the document: links stay on the page's origin (a fragment, a query, a path), sources are inline.
        var hrefs = await AttributesAsync(page.Page.Locator("[href]"), "href");
        Assert.All(hrefs, href => Assert.True(
            href.StartsWith('#') || href.StartsWith('?') || href.StartsWith("data:", StringComparison.Ordinal) || (href.StartsWith('/') && !href.StartsWith("//", StringComparison.Ordinal)),
            $"href '{href}' leaves the page's origin"));
        var sources = await AttributesAsync(page.Page.Locator("[src], [srcset], [poster]"), "src");
        Assert.All(sources, src => Assert.StartsWith("data:", src, StringComparison.Ordinal));
        await page.SettleAsync(); // CSP reports reach the console asynchronously: wait until all the page said has arrived
        page.AssertQuiet();
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public async Task Dashboard_Tab_MovesFocusToALinkOrDisclosure_WithAVisibleOutline()
    {
        await using var page = await LoadAsync();
        var focusable = await page.Page.Locator("a[href], summary, button, [tabindex]:not([tabindex='-1'])").CountAsync();
        Assert.True(focusable > 0, "nothing on the page takes keyboard focus: the grid's details and the charts' tables must be reachable by keyboard");

        await page.Page.Keyboard.PressAsync("Tab");

        var focus = await page.Page.EvaluateAsync<string[]>(
            """
            () => {
              const e = document.activeElement, s = getComputedStyle(e);
              return [e.tagName.toLowerCase(), s.outlineStyle, String(parseFloat(s.outlineWidth) || 0), s.boxShadow];
            }
            """);
        var (tag, outlineStyle, outlineWidth, boxShadow) = (focus[0], focus[1], double.Parse(focus[2], System.Globalization.CultureInfo.InvariantCulture), focus[3]);
        Assert.NotEqual("body", tag);
        Assert.True((outlineStyle != "none" && outlineWidth > 0) || boxShadow != "none",
            $"the focused <{tag}> shows no focus: outline {outlineStyle} {outlineWidth}px, box-shadow {boxShadow}");
    }

    [Fact]
    public async Task Dashboard_WithoutAxe_ChartsAreNamedImages_TablesHaveHeaders_AndTheLanguageIsSet()
    {
        await using var page = await LoadAsync();

        Assert.False(string.IsNullOrWhiteSpace(await page.Page.Locator("html").GetAttributeAsync("lang")), "html has no lang");
        Assert.False(string.IsNullOrWhiteSpace(await page.Page.TitleAsync()), "the page has no title");
        var charts = await page.Page.Locator("svg[data-chart]").AllAsync();
        Assert.NotEmpty(charts);
        foreach (var chart in charts)
        {
            var name = $"svg[data-chart={await chart.GetAttributeAsync("data-chart")}][data-cluster={await chart.GetAttributeAsync("data-cluster")}][data-policy={await chart.GetAttributeAsync("data-policy")}]";
            Assert.True(await chart.GetAttributeAsync("role") == "img", $"{name} has no role=img");
        }

        foreach (var image in await page.Page.Locator("svg[role=img]").AllAsync())
        {
            var label = await image.GetAttributeAsync("aria-label") ?? "";
            var title = await image.Locator("title").CountAsync() > 0 ? await image.Locator("title").First.TextContentAsync() : "";
            Assert.True(label.Trim().Length > 0 || await image.GetAttributeAsync("aria-labelledby") is not null, $"an svg[role=img] has no accessible name: {await image.EvaluateAsync<string>("e => e.outerHTML.slice(0, 200)")}");
            Assert.False(string.IsNullOrWhiteSpace(title), $"svg[role=img] '{label}' has no <title> text alternative");
        }

        foreach (var table in await page.Page.Locator("table").AllAsync())
        {
            Assert.True(await table.Locator("th").CountAsync() > 0, $"a table has no header cells: {await table.EvaluateAsync<string>("e => e.outerHTML.slice(0, 200)")}");
        }

        foreach (var image in await page.Page.Locator("img").AllAsync())
        {
            Assert.NotNull(await image.GetAttributeAsync("alt"));
        }
    }

    [Fact]
    public async Task Dashboard_OneCluster_ShowsOnlyItsRow_AndAnUnknownOneAnswers404SayingSo()
    {
        await using (var one = await LoadAsync("?cluster=prod-us"))
        {
            Assert.Equal(["prod-us"], (await AttributesAsync(one.Page.Locator("table#fleet tr[data-cluster]"), "data-cluster")).Distinct());
            Assert.Equal("at-risk", await one.Page.Locator(Cell("prod-us", "nightly")).GetAttributeAsync("data-state"));
            one.AssertQuiet();
        }

        await using var unknown = await LoadAsync("?cluster=unknown", status: 404);
        Assert.Contains("cluster 'unknown' is not in strata.yaml", await unknown.Page.Locator("body").InnerTextAsync());
        unknown.AssertQuiet(documentStatus: 404);
    }
}
