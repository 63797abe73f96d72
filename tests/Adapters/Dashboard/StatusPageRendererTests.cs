using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Adapters.Dashboard;
using Strata.Core.Alerts;
using Strata.Core.Coverage;
using Strata.Core.Freshness;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Runs;
using Strata.Core.Status;

namespace Strata.Adapters.Tests.Dashboard;

/// <summary>The status page's HTML against its contract (docs/status-page.md), from a view built by hand.</summary>
public sealed class StatusPageRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static ProtectionHistory Pair(string cluster, string policy, RecoveryPointState rpo, bool verified, int drills = 0, int backups = 0) => new()
    {
        Status = new ProtectionStatus
        {
            Cluster = cluster, Policy = policy, Schedule = "0 * * * *", TimeZone = "UTC", RpoState = rpo, Rpo = "4h",
            RpoAge = verified ? "1h" : null,
            LastBackup = backups > 0 ? new RunReference($"{cluster}-{policy}-b{backups - 1}", BackupStatus.Verified, Now.AddHours(-1)) : null,
            LastVerified = verified ? new RunReference($"{cluster}-{policy}-b{backups - 1}", BackupStatus.Verified, Now.AddHours(-1)) : null,
            LastDrill = drills > 0 ? new DrillReference($"{cluster}-{policy}-d{drills - 1}", DrillStatus.Passed, Now.AddHours(-2), 42, false) : null,
        },
        Recoverability = RecoverabilityRules.For(rpo, verified),
        VerifiedLayers = verified ? ["objects", "volumes"] : [],
        RtoObjectiveSeconds = 300,
        Drills = [.. Enumerable.Range(0, drills).Select(i => new DrillPoint($"{cluster}-{policy}-d{i}", Now.AddDays(i - drills), 100 + (i * 120), 300, 100 + (i * 120) > 300))],
        Backups = [.. Enumerable.Range(0, backups).Select(i => new BackupPoint($"{cluster}-{policy}-b{i}", Now.AddHours(i - backups), BackupStatus.Verified, 1000 + i,
            new Dictionary<string, long> { ["objects"] = 900 + i, ["volumes"] = 100 }, ["objects", "volumes"], 50 + i))],
    };

    private static DashboardView View(IReadOnlyList<CoverageReport>? coverage = null, IReadOnlyList<AlertRecord>? alerts = null)
    {
        ProtectionHistory[] pairs =
        [
            Pair("prod", "hourly", RecoveryPointState.Ok, true, drills: 3, backups: 5),
            Pair("prod", "nightly", RecoveryPointState.AtRisk, true, backups: 1),
            Pair("dr", "hourly", RecoveryPointState.Breached, true, drills: 1, backups: 2),
            Pair("edge", "hourly", RecoveryPointState.Pending, false),
        ];
        return new DashboardView
        {
            Status = new FleetStatus
            {
                GeneratedAt = Now, Configuration = "/etc/strata/strata.yaml", Protection = [.. pairs.Select(p => p.Status)],
                Alerts = alerts ?? [], Coverage = coverage ?? [],
            },
            Clusters = ["prod", "dr", "edge"],
            Policies = ["hourly", "nightly"],
            Pairs = pairs,
        };
    }

    private static string Html(DashboardView? view = null) => StatusPageRenderer.Render(view ?? View()).Html;

    [Fact]
    public void Render_EachPair_CellCarriesItsClusterPolicyStateAndVerifiedLayers()
    {
        var html = Html();

        Assert.Contains("<table id=\"fleet\">", html);
        Assert.Contains("<td data-cluster=\"prod\" data-policy=\"hourly\" data-state=\"fresh\" data-layers=\"objects volumes\"", html);
        Assert.Contains("<td data-cluster=\"prod\" data-policy=\"nightly\" data-state=\"at-risk\" data-layers=\"objects volumes\"", html);
        Assert.Contains("<td data-cluster=\"dr\" data-policy=\"hourly\" data-state=\"breached\"", html);
        Assert.Contains("<td data-cluster=\"edge\" data-policy=\"hourly\" data-state=\"never-proven\" data-layers=\"\"", html);
        Assert.Contains("<td data-cluster=\"dr\" data-policy=\"nightly\" data-state=\"none\"", html);
        Assert.Contains("<tr data-cluster=\"edge\"><th scope=\"row\">edge</th>", html);
        Assert.Contains("<th scope=\"col\">nightly</th>", html);

        // The state is in words and a shape, not colour alone.
        Assert.Contains(">Fresh</span>", html);
        Assert.Contains(">At risk</span>", html);
        Assert.Contains(">Breached</span>", html);
        Assert.Contains(">Never proven</span>", html);
        Assert.Contains(">Not covered</span>", html);
    }

    [Fact]
    public void Render_Charts_OneCirclePerDrillAndPerBackup_WithTextAlternatives()
    {
        var html = Html();

        var rto = Chart(html, "rto", "prod", "hourly");
        Assert.Equal(["prod-hourly-d0", "prod-hourly-d1", "prod-hourly-d2"], Attribute(rto, "circle", "data-drill"));
        Assert.Contains("role=\"img\"", rto);
        Assert.Matches("aria-label=\"RTO over time, prod / hourly\\. 3 drills", rto);
        Assert.Contains("<title id=", rto);
        Assert.Contains("<desc id=", rto);
        Assert.Contains("data-objective=\"300\"", rto); // the objective line
        Assert.Single(Regex.Matches(rto, "class=\"hollow\"")); // the one drill slower than its objective (340 s)

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"prod-hourly-b{i}"), Attribute(Chart(html, "size", "prod", "hourly"), "circle", "data-backup"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"prod-hourly-b{i}"), Attribute(Chart(html, "objects", "prod", "hourly"), "circle", "data-backup"));
        Assert.Empty(Attribute(Chart(html, "rto", "edge", "hourly"), "circle", "data-drill")); // drawn, empty, and says so
        Assert.Contains("no drill has measured an RTO yet", Chart(html, "rto", "edge", "hourly"));
        Assert.Equal(4, Regex.Matches(html, "<circle data-drill=").Count);

        // The same numbers as a table.
        Assert.Contains("<tr data-backup=\"prod-hourly-b4\" data-layers=\"objects volumes\">", html);
        Assert.Contains("<th scope=\"row\"><code>prod-hourly-d2</code></th>", html);
    }

    [Fact]
    public void Render_Alerts_OneItemPerIncident_OpenFirst()
    {
        var html = Html(View(alerts: [Alert("backup-failed/hourly/prod", IncidentStatus.Resolved), Alert("rpo-breached/hourly/dr", IncidentStatus.Open)]));

        var section = Regex.Match(html, "<section id=\"alerts\".*?</section>", RegexOptions.Singleline).Value;
        Assert.Equal(["rpo-breached/hourly/dr", "backup-failed/hourly/prod"], Attribute(section, "li", "data-alert"));
        Assert.Equal(["open", "resolved"], Attribute(section, "li", "data-status"));
    }

    [Fact]
    public void Render_Alerts_SummaryWithAnAddress_ShowsNoUrl()
    {
        var html = Html(View(alerts: [Alert("cluster-unreachable/hourly/prod", IncidentStatus.Open) with { Summary = "prod unreachable at https://10.0.0.4:6443/api?token=abc" }]));

        Assert.Contains("prod unreachable at [address]", html);
        Assert.DoesNotContain("token=abc", html);
    }

    [Fact]
    public void Render_Coverage_OneRowPerEntry_OrNoSurveyYet()
    {
        Assert.Contains("No survey yet", Regex.Match(Html(), "<section id=\"coverage\".*?</section>", RegexOptions.Singleline).Value);

        var html = Html(View(coverage:
        [
            new CoverageReport
            {
                Cluster = "prod", SurveyedAt = Now,
                Entries =
                [
                    new CoverageEntry(StatefulKind.PersistentVolumeClaim, "shop", "data", CoverageState.Protected, "StorageClass fast", "in scope") { ProtectedBy = [new CoverageProtection("hourly", "volumes")] },
                    new CoverageEntry(StatefulKind.DatabasePod, "shop", "pg-0", CoverageState.Unprotected, "image postgres:16", "no policy's scope includes namespace shop"),
                    new CoverageEntry(StatefulKind.StatefulSet, "web", "cache", CoverageState.Rebuildable, "GitOps", "stateless, managed by Flux"),
                ],
            },
        ]));

        var section = Regex.Match(html, "<section id=\"coverage\".*?</section>", RegexOptions.Singleline).Value;
        Assert.Contains("<tr data-cluster=\"prod\" data-kind=\"persistent-volume-claim\" data-state=\"protected\">", section);
        Assert.Contains("<tr data-cluster=\"prod\" data-kind=\"database-pod\" data-state=\"unprotected\">", section);
        Assert.Contains("<tr data-cluster=\"prod\" data-kind=\"stateful-set\" data-state=\"rebuildable\">", section);
        Assert.Contains("hourly (volumes)", section);
        Assert.DoesNotContain("No survey yet", section);
    }

    [Fact]
    public void Render_Coverage_FailedSurveyAfterAGoodOne_SaysNotSurveyedSince_AndShowsTheLastGoodEntries()
    {
        var html = Html(View(coverage:
        [
            new CoverageReport
            {
                Cluster = "prod", SurveyedAt = Now.AddDays(-1), LastError = "cannot reach [address]: Connection refused", LastAttemptAt = Now,
                Entries = [new CoverageEntry(StatefulKind.DatabasePod, "shop", "pg-0", CoverageState.Unprotected, "image postgres:16", "no policy's databases: target points at it")],
            },
            new CoverageReport { Cluster = "dr", SurveyedAt = Now, Error = "cannot reach [address]: Connection refused" },
        ]));

        var section = Regex.Match(html, "<section id=\"coverage\".*?</section>", RegexOptions.Singleline).Value;
        Assert.Contains("Not surveyed since", section);
        Assert.Contains("cannot reach [address]: Connection refused", section);
        Assert.Contains("<tr data-cluster=\"prod\" data-kind=\"database-pod\" data-state=\"unprotected\">", section);
        Assert.Contains("1 stateful things, <strong>1 unprotected</strong>", section);
        Assert.DoesNotContain("0 unprotected", section); // dr was never surveyed: no count that reads as all clear
    }

    [Fact]
    public void Render_Coverage_TrimmedReport_CountsWhatTheStoreLeftOut()
    {
        var html = Html(View(coverage:
        [
            new CoverageReport
            {
                Cluster = "huge", SurveyedAt = Now, OmittedCovered = 99_000, OmittedUnprotected = 500,
                Entries = [new CoverageEntry(StatefulKind.PersistentVolumeClaim, "shop", "scratch", CoverageState.Unprotected, "StorageClass local-path", "no VolumeSnapshotClass")],
            },
        ]));

        var section = Regex.Match(html, "<section id=\"coverage\".*?</section>", RegexOptions.Singleline).Value;
        Assert.Contains("99501 stateful things, <strong>501 unprotected</strong> (99500 not listed", section);
    }

    [Fact]
    public void Render_StyleSheet_IsTheOneTheCspHashes_AndNothingElseStylesOrScripts()
    {
        var page = StatusPageRenderer.Render(View());

        var sheets = Regex.Matches(page.Html, "<style>(.*?)</style>", RegexOptions.Singleline);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Assert.Single(sheets).Groups[1].Value)));
        Assert.Contains($"style-src 'sha256-{hash}'", page.ContentSecurityPolicy);
        Assert.StartsWith("default-src 'none'; ", page.ContentSecurityPolicy);
        foreach (var directive in new[] { "img-src data:", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'" })
        {
            Assert.Contains(directive, page.ContentSecurityPolicy);
        }

        Assert.DoesNotContain("unsafe-inline", page.ContentSecurityPolicy);
        Assert.DoesNotContain("style=", page.Html);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" on", Regex.Replace(page.Html, "<style>.*?</style>|>[^<]*<", "><", RegexOptions.Singleline)); // no event handler attributes
    }

    [Fact]
    public void Render_Document_NamesNoUrl_AndLinksOnlyWithinItself()
    {
        var html = Html();

        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("src=", html);
        Assert.All(Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value), href => Assert.True(href.StartsWith('#') || href == "data:,", href));
        Assert.DoesNotContain("/etc/strata", html); // the configuration by file name, not its path
    }

    [Fact]
    public void Render_Document_IsAccessible_LangTitleLandmarksHeadingsUniqueIds()
    {
        var html = Html();

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
        Assert.Contains("<title>Strata status — fleet</title>", html);
        Assert.Contains("<header>", html);
        Assert.Contains("<main id=\"main\">", html);
        Assert.Contains("<nav aria-label=\"Sections\">", html);
        Assert.Single(Regex.Matches(html, "<h1>"));
        var levels = Regex.Matches(html, "<h([1-6])").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(levels.Zip(levels.Skip(1)), p => Assert.True(p.Second <= p.First + 1, $"heading h{p.Second} follows h{p.First}"));
        var ids = Regex.Matches(html, " id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(Regex.Matches(html, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value), target => Assert.Contains(target, ids));
        Assert.Contains(":focus-visible", PageStyle.Css);
        Assert.All(Regex.Matches(html, "<th(?: [^>]*)?>").Select(m => m.Value), th => Assert.Contains("scope=", th));
    }

    [Fact]
    public void Render_NamesFromTheConfiguration_AreEncoded()
    {
        var view = View();
        var pair = Pair("<script>alert(1)</script>", "a\"b", RecoveryPointState.Ok, true, drills: 1, backups: 1);
        view = view with { Clusters = [.. view.Clusters, pair.Cluster], Policies = [.. view.Policies, pair.Policy], Pairs = [.. view.Pairs, pair] };

        var html = Html(view);

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("data-cluster=\"&lt;script&gt;alert(1)&lt;/script&gt;\" data-policy=\"a&quot;b\"", html);
    }

    [Fact]
    public void NotFound_SaysWhichClusterIsNotInTheConfiguration()
    {
        var page = StatusPageRenderer.NotFound("cluster 'staging' is not in strata.yaml");

        Assert.Contains("cluster &#39;staging&#39; is not in strata.yaml", page.Html);
        Assert.Equal(PageStyle.ContentSecurityPolicy, page.ContentSecurityPolicy);
    }

    [Fact]
    public void Render_FleetOf200PairsAtTheirLimits_StaysAFewMegabytes()
    {
        var limits = DashboardLimits.Default.For(200);
        var clusters = Enumerable.Range(0, 50).Select(i => $"cluster-{i:00}").ToList();
        string[] policies = ["hourly", "nightly", "volumes", "etcd"];
        var pairs = clusters.SelectMany(c => policies.Select(p => Pair(c, p, RecoveryPointState.Ok, true, limits.MaxDrills, limits.MaxBackups))).ToList();
        var view = View() with { Clusters = clusters, Policies = policies, Pairs = pairs, Status = View().Status with { Protection = [.. pairs.Select(p => p.Status)] } };

        var html = Html(view);

        Assert.Equal(200 * limits.MaxDrills, Regex.Matches(html, "<circle data-drill=").Count);
        Assert.True(html.Length < 4_000_000, $"{html.Length:N0} characters");
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public void Palette_EveryTextPair_MeetsWcagAA(string scheme)
    {
        var colors = scheme == "light" ? PageColors.Light : PageColors.Dark;

        Assert.All(colors.TextPairs, pair =>
            Assert.True(Contrast(pair.Foreground, pair.Background) >= 4.5, $"{scheme} {pair.What}: {pair.Foreground} on {pair.Background} is {Contrast(pair.Foreground, pair.Background):0.00}:1"));
        Assert.Contains(colors.Text, PageStyle.Css);
        Assert.Contains(colors.FreshBackground, PageStyle.Css);
    }

    [Fact]
    public void Contrast_KnownPairs_MatchWcagValues()
    {
        Assert.Equal(21, Contrast("#000000", "#ffffff"), 2);
        Assert.Equal(1, Contrast("#777777", "#777777"), 2);
        Assert.Equal(4.48, Contrast("#777777", "#ffffff"), 2);
    }

    // WCAG 2.x: relative luminance of sRGB, ratio (L1 + 0.05) / (L2 + 0.05).
    private static double Contrast(string foreground, string background)
    {
        static double Luminance(string hex)
        {
            double Channel(int offset)
            {
                var c = int.Parse(hex.AsSpan(1 + offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
                return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            }

            return (0.2126 * Channel(0)) + (0.7152 * Channel(2)) + (0.0722 * Channel(4));
        }

        var (a, b) = (Luminance(foreground), Luminance(background));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    private static AlertRecord Alert(string key, IncidentStatus status) => new()
    {
        DedupKey = key, Severity = AlertSeverity.Critical, Kind = key.Split('/')[0], Summary = $"{key} happened", Cluster = key.Split('/')[2], Policy = key.Split('/')[1],
        FirstRaisedAt = Now.AddHours(-3), LastRaisedAt = Now.AddHours(-2), LastMessageId = "m", Status = status,
        ResolvedAt = status == IncidentStatus.Resolved ? Now.AddHours(-1) : null,
    };

    private static string Chart(string html, string kind, string cluster, string policy) =>
        Regex.Match(html, $"<svg class=\"chart\" data-chart=\"{kind}\" data-cluster=\"{cluster}\" data-policy=\"{policy}\".*?</svg>", RegexOptions.Singleline) is { Success: true } match
            ? match.Value
            : throw new Xunit.Sdk.XunitException($"no {kind} chart of {cluster}/{policy}");

    private static List<string> Attribute(string html, string element, string attribute) =>
        [.. Regex.Matches(html, $"<{element} [^>]*{attribute}=\"([^\"]*)\"").Select(m => m.Groups[1].Value)];
}
