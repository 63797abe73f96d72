using System.Security.Cryptography;
using System.Text;

namespace Strata.Adapters.Dashboard;

/// <summary>
/// The status page's one inline style sheet, written from <see cref="PageColors"/>, and its SHA-256: the
/// Content-Security-Policy allows this sheet and nothing else (no <c>unsafe-inline</c>, so no <c>style</c> attributes).
/// </summary>
public static class PageStyle
{
    /// <summary>The sheet, exactly as it sits between <c>&lt;style&gt;</c> and <c>&lt;/style&gt;</c>.</summary>
    public static string Css { get; } = Build();

    /// <summary>The CSP source of the sheet: <c>'sha256-BASE64'</c>.</summary>
    public static string HashSource { get; } = "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css))) + "'";

    /// <summary>
    /// The page's Content-Security-Policy: nothing loads but the sheet above and <c>data:</c> images; no script, no
    /// base-URL change, forms post only to the page's origin, and no site may frame the page.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src {HashSource}; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static string Colors(PageColors c) => $$"""
        body { color: {{c.Text}}; background: {{c.Background}}; }
        a { color: {{c.Link}}; }
        a:focus-visible, summary:focus-visible { outline: 3px solid {{c.Focus}}; outline-offset: 2px; }
        .muted, caption, time { color: {{c.Muted}}; }
        th, td { border-color: {{c.Rule}}; }
        td.fresh { color: {{c.Fresh}}; background: {{c.FreshBackground}}; }
        td.at-risk, li.open { color: {{c.AtRisk}}; background: {{c.AtRiskBackground}}; }
        td.breached, li.critical { color: {{c.Breached}}; background: {{c.BreachedBackground}}; }
        td.never-proven { color: {{c.NeverProven}}; background: {{c.NeverProvenBackground}}; }
        td.none, li.resolved { color: {{c.None}}; background: {{c.NoneBackground}}; }
        td.fresh time, td.at-risk time, td.breached time, td.never-proven time, td.none time, li time { color: inherit; }
        .chart text { fill: {{c.Muted}}; }
        .chart .axis { stroke: {{c.Rule}}; }
        .chart .series { stroke: {{c.Series}}; }
        .chart circle { stroke: {{c.Series}}; fill: {{c.Series}}; }
        .chart circle.hollow { fill: {{c.Background}}; }
        .chart .objective { stroke: {{c.Objective}}; }
        .chart text.objective { fill: {{c.Objective}}; stroke: none; }
        """;

    private static string Build() => $$"""

        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header, main, footer { max-width: 80rem; margin: 0 auto; padding: 0.75rem 1.25rem; }
        h1 { font-size: 1.6rem; margin: 0.25rem 0; }
        h2 { font-size: 1.3rem; margin: 1.75rem 0 0.5rem; }
        h3 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
        nav ul { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; gap: 1rem; }
        .skip { position: absolute; left: -100vw; }
        .skip:focus { position: static; }
        table { border-collapse: collapse; margin: 0.5rem 0; }
        caption { text-align: left; padding: 0.25rem 0; }
        th, td { border: 1px solid; padding: 0.4rem 0.55rem; text-align: left; vertical-align: top; }
        #fleet td { min-width: 14rem; }
        #fleet td a, #fleet td .muted { color: inherit; } /* a cell's own colours are the checked pair */
        .state { font-weight: 700; display: block; margin-bottom: 0.25rem; }
        .icon { display: inline-block; width: 1.2em; text-align: center; }
        dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0.1rem 0.6rem; }
        dt { font-weight: 600; }
        dd { margin: 0; }
        code { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
        ul.alerts { padding: 0; list-style: none; }
        ul.alerts li { padding: 0.4rem 0.6rem; margin: 0.3rem 0; border-radius: 4px; }
        .pair { margin-bottom: 2rem; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
        figure { margin: 0; }
        figcaption { font-weight: 600; }
        .chart { width: 100%; height: auto; max-width: 40rem; }
        .chart text { font-size: 16px; }
        .chart .axis { stroke-width: 1; }
        .chart .series { fill: none; stroke-width: 1.5; }
        .chart circle { stroke-width: 2; }
        .chart .objective { stroke-width: 1.5; stroke-dasharray: 6 4; }
        details { margin: 0.25rem 0 0.75rem; }
        summary { cursor: pointer; }
        {{Colors(PageColors.Light)}}
        @media (prefers-color-scheme: dark) {
        {{Colors(PageColors.Dark)}}
        }

        """;
}
