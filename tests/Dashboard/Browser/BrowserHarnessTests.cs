using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;

namespace Strata.Dashboard.Tests.Browser;

/// <summary>
/// The harness itself, against pages of its own: Chromium starts offline, a quiet page is seen as quiet, and what the
/// status page's test relies on the watchers to catch — a request for another origin, a CSP violation, a page error —
/// is caught.
/// </summary>
public sealed class BrowserHarnessTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Style = "table{border-collapse:collapse}a:focus-visible{outline:3px solid #1a4f9c}";

    private static string Csp(string style) =>
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static Dictionary<string, string> Strict => new() { ["Content-Security-Policy"] = Csp(Style) };

    private static string Document(string body) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tiny</title><style>{Style}</style></head><body>{body}</body></html>";

    [Fact]
    public async Task InitializeAsync_BrowserMissing_FailsSayingWhatToInstall()
    {
        var missing = new Chromium { Executable = "/nonexistent/chromium" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(missing.InitializeAsync);

        Assert.Equal("the browser tests need Debian's Chromium at /nonexistent/chromium, which is missing: install it with 'apt-get install chromium' (.ci/run does)", error.Message);
        await missing.DisposeAsync();
    }

    [Fact]
    public async Task OpenAsync_SelfContainedPage_RecordsItsRequestAndNothingElse()
    {
        await using var served = await TinyPage.StartAsync(Document(
            "<a href=\"#fleet\">fleet</a><table id=\"fleet\"><tr><th scope=\"col\">policy</th></tr><tr><td data-state=\"fresh\">fresh</td></tr></table>"
            + "<svg role=\"img\" aria-label=\"one point\"><title>one point</title><circle cx=\"5\" cy=\"5\" r=\"3\" fill=\"#1a4f9c\" data-drill=\"d1\"/></svg>"
            + "<img alt=\"dot\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\">"), Strict);
        await using var page = await chromium.OpenAsync(served.Url);

        var response = await page.Page.GotoAsync(served.Url.AbsoluteUri);

        Assert.Equal(200, response!.Status);
        Assert.Equal("fresh", await page.Page.Locator("table#fleet td").GetAttributeAsync("data-state"));
        Assert.Equal(1, await page.Page.Locator("svg[role=img] circle[data-drill]").CountAsync());
        page.AssertQuiet();
        Assert.Contains(served.Url.AbsoluteUri, page.Requests);
    }

    [Fact]
    public async Task OpenAsync_PageAsksForAnotherOrigin_AbortsAndCountsIt()
    {
        // Another port on loopback is another origin; the route aborts it in the browser, so nothing is sent anyway.
        await using var served = await TinyPage.StartAsync(Document("<img alt=\"elsewhere\" src=\"http://127.0.0.1:9/pixel.png\">"));
        await using var page = await chromium.OpenAsync(served.Url);

        await page.Page.GotoAsync(served.Url.AbsoluteUri);

        Assert.Equal(["http://127.0.0.1:9/pixel.png"], page.Blocked);
        Assert.Throws<Xunit.Sdk.TrueException>(() => page.AssertQuiet());
    }

    [Fact]
    public async Task OpenAsync_InlineStyleAttributeUnderStrictCsp_IsAConsoleError()
    {
        // The status page may not use style="…": under its CSP the browser refuses it, and says so on the console.
        await using var served = await TinyPage.StartAsync(Document("<p style=\"color:red\">red</p>"), Strict);
        await using var page = await chromium.OpenAsync(served.Url);

        // The report is asynchronous: wait for it (armed before the navigation, so an early one is not missed), with a
        // deadline generous enough for a loaded CI machine; a page that never reports fails the test with a timeout.
        var report = page.Page.WaitForConsoleMessageAsync(new PageWaitForConsoleMessageOptions
        {
            Predicate = m => m.Type == "error" && m.Text.Contains("Content Security Policy", StringComparison.Ordinal),
            Timeout = 30_000,
        });
        await page.Page.GotoAsync(served.Url.AbsoluteUri);
        await report;

        Assert.Contains(page.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAsync_PageThrows_RecordsThePageError()
    {
        await using var served = await TinyPage.StartAsync(Document("<script>throw new Error('boom')</script>"));
        await using var page = await chromium.OpenAsync(served.Url);

        await page.Page.GotoAsync(served.Url.AbsoluteUri);

        Assert.Contains(page.PageErrors, e => e.Contains("boom", StringComparison.Ordinal));
    }
}
