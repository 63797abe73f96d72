using Microsoft.Playwright;

namespace Strata.Dashboard.Tests.Browser;

/// <summary>
/// Debian's Chromium (<see cref="ExecutablePath"/>, which .ci/run installs), headless, driven by Playwright's own
/// driver (Node.js and playwright-core copied to bin/.playwright by the package's build): nothing is downloaded, and
/// <c>playwright install</c> is never run. One browser per test class; each page gets its own context
/// (<see cref="WatchedPage"/>). Where the browser is missing the fixture fails, never skips: CI installs it.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>
    /// The flags this machine's Chromium needs: no sandbox (the tests run as root), no GPU, and none of its own
    /// traffic (QUIC, component updates, sync, background networking), which the closed network refuses, many
    /// connections at a time, at every start.
    /// </summary>
    public static IReadOnlyList<string> Flags { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    /// <summary>The browser to start: <see cref="ExecutablePath"/> (a test of the fixture names one that is missing).</summary>
    internal string Executable { get; init; } = ExecutablePath;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"the browser tests need Debian's Chromium at {Executable}, which is missing: install it with 'apt-get install chromium' (.ci/run does)");
        }

        _playwright = await Playwright.CreateAsync();

        // LaunchAsync starts Chromium on a fresh temporary profile (--user-data-dir), deleted when the browser closes.
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Flags,
            Timeout = 60_000,
        });
    }

    /// <summary>Opens a page in a new context (no cookies, cache or storage from another test), watched for errors and for requests off <paramref name="origin"/>.</summary>
    public Task<WatchedPage> OpenAsync(Uri origin) => WatchedPage.OpenAsync(Browser, origin);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
