using Strata.Core.ControlPlane;
using Strata.Core.Status;

namespace Strata.Adapters.Dashboard;

/// <summary>
/// The status page as both hosts serve it (the Functions app's <c>dashboard</c> function, <c>strata serve</c>): build the
/// view, render it, answer with the headers that keep it inert — its CSP, no MIME sniffing, no referrer, no caching.
/// </summary>
public static class StatusPage
{
    /// <summary>The media type of the page.</summary>
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>The page for the fleet, or for <paramref name="cluster"/> (a query's <c>?cluster=</c>); a cluster strata.yaml does not name answers 404.</summary>
    public static async Task<StatusPageResponse> RespondAsync(ControlPlaneContext context, string? cluster, CancellationToken cancellationToken = default)
    {
        try
        {
            var view = await DashboardReport.BuildAsync(context, string.IsNullOrEmpty(cluster) ? null : cluster, cancellationToken: cancellationToken);
            var page = StatusPageRenderer.Render(view);
            return new StatusPageResponse(200, page.Html, Headers(page));
        }
        catch (UnknownClusterException e)
        {
            var page = StatusPageRenderer.NotFound(e.Message);
            return new StatusPageResponse(404, page.Html, Headers(page));
        }
    }

    /// <summary>The headers <paramref name="page"/> is sent with.</summary>
    public static IReadOnlyDictionary<string, string> Headers(RenderedPage page) => new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Content-Type"] = ContentType,
        ["Content-Security-Policy"] = page.ContentSecurityPolicy,
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
        ["Cache-Control"] = "no-store",
    };
}
