using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Strata.Dashboard.Tests.Browser;

/// <summary>
/// A page in its own browser context that records what a self-contained page must never do: console errors (a
/// Content-Security-Policy violation is one), uncaught page errors, and requests that leave its origin — every
/// request is recorded, and one for another origin is aborted before it leaves the browser, and counted.
/// </summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _blocked = new();

    private WatchedPage(IBrowserContext context, IPage page, Uri origin)
    {
        _context = context;
        Page = page;
        Origin = origin;
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>The only origin the page may reach.</summary>
    public Uri Origin { get; }

    /// <summary>Console messages of type error, with where they came from.</summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _consoleErrors];

    /// <summary>Uncaught errors in the page.</summary>
    public IReadOnlyList<string> PageErrors => [.. _pageErrors];

    /// <summary>Every URL the page asked for, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Requests for another origin, aborted before they left the browser.</summary>
    public IReadOnlyList<string> Blocked => [.. _blocked];

    /// <summary>Whether <paramref name="url"/> is on the page's origin (scheme, host and port); <c>data:</c> URLs are inline, not requests to anywhere.</summary>
    public bool IsOnOrigin(string url) =>
        url.StartsWith("data:", StringComparison.Ordinal)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && Uri.Compare(uri, Origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);

    public static async Task<WatchedPage> OpenAsync(IBrowser browser, Uri origin)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        var watched = new WatchedPage(context, page, origin);
        await context.RouteAsync("**/*", async route =>
        {
            if (watched.IsOnOrigin(route.Request.Url))
            {
                await route.ContinueAsync();
            }
            else
            {
                watched._blocked.Enqueue(route.Request.Url);
                await route.AbortAsync("blockedbyclient");
            }
        });
        page.Request += (_, request) => watched._requests.Enqueue(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                watched._consoleErrors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => watched._pageErrors.Enqueue(error);
        return watched;
    }

    /// <summary>
    /// Waits until everything the page has logged so far has been recorded, without a timed sleep: the network goes idle
    /// (nothing left to load, so nothing left to refuse), then a marker is logged in the page and awaited. The page's
    /// console messages — a CSP violation's included — reach us in the order the page produced them, so once the marker
    /// has arrived every earlier message has too.
    /// </summary>
    public async Task SettleAsync()
    {
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 30_000 });
        var marker = $"strata-settled-{Guid.NewGuid():N}";
        var arrived = Page.WaitForConsoleMessageAsync(new PageWaitForConsoleMessageOptions { Predicate = m => m.Text == marker, Timeout = 30_000 });
        await Page.EvaluateAsync("marker => console.info(marker)", marker);
        await arrived;
    }

    /// <summary>
    /// Asserts the page logged no error, threw none, and asked for nothing off its origin. A document answered with an
    /// error status (<paramref name="documentStatus"/>: a 404 page) is logged by Chromium as a resource that failed to load:
    /// that one line, for the page's own address, is expected.
    /// </summary>
    public void AssertQuiet(int? documentStatus = null)
    {
        var errors = ConsoleErrors.Where(e => documentStatus is not { } status
            || !(e.StartsWith($"Failed to load resource: the server responded with a status of {status} ", StringComparison.Ordinal) && e.Contains($"({Page.Url}:", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "console errors: " + string.Join(" | ", errors));
        Assert.True(PageErrors.Count == 0, "page errors: " + string.Join(" | ", PageErrors));
        Assert.True(Blocked.Count == 0, $"{Blocked.Count} request(s) for another origin than {Origin} (aborted): " + string.Join(", ", Blocked));
        Assert.All(Requests, url => Assert.True(IsOnOrigin(url), $"{url} is not on {Origin}"));
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
