using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Strata.Adapters.Dashboard;
using Strata.Core.ControlPlane;
using Strata.Core.Serialization;
using Strata.Core.Status;

namespace Strata.Cli.Commands;

/// <summary>
/// What <c>strata serve</c> answers, each endpoint thin over the code the Functions app runs: <c>GET /</c> the status page
/// (<c>?cluster=NAME</c> for one cluster; an unknown one is a 404 page), <c>GET /status</c> the <c>status</c> function's
/// JSON, <c>GET /health</c> whether the control plane loaded. <c>/metrics</c> is mapped beside these, by its own class.
/// </summary>
internal static class StatusPageEndpoints
{
    /// <summary>Maps the routes over <paramref name="context"/>; a request that fails is said on <paramref name="log"/>.</summary>
    public static IEndpointRouteBuilder MapStatusPageEndpoints(this IEndpointRouteBuilder app, ControlPlaneContext context, TextWriter log)
    {
        app.MapGet("/", (HttpContext http, string? cluster, CancellationToken cancellationToken) => Guarded(http, log, async () =>
        {
            var page = await StatusPage.RespondAsync(context, cluster, cancellationToken);
            foreach (var (name, value) in page.Headers.Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
            {
                http.Response.Headers[name] = value;
            }

            return Results.Content(page.Html, StatusPage.ContentType, statusCode: page.StatusCode);
        }));
        app.MapGet("/status", (HttpContext http, CancellationToken cancellationToken) => Guarded(http, log, async () =>
            Results.Content(JsonSerializer.Serialize(await StatusReport.BuildAsync(context, cancellationToken), StrataJson.Default.FleetStatus), "application/json")));
        app.MapGet("/health", () => Results.Json(new Dictionary<string, string>
        {
            ["status"] = "ok",
            ["detail"] = $"{context.Configuration.Policies.Count} policies, {context.Configuration.Clusters.Count} clusters from {DashboardReport.ConfigurationName(context.Configuration.Source)}",
        }));
        return app;
    }

    // A request that fails (the history unreadable, the store unreachable) answers 500 and is said on standard error with
    // the reason (the adapters' messages carry no secret); the server keeps serving.
    private static async Task<IResult> Guarded(HttpContext http, TextWriter log, Func<Task<IResult>> answer)
    {
        try
        {
            return await answer();
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            await log.WriteLineAsync($"strata: {http.Request.Method} {http.Request.Path} failed: {e.Message}");
            return Results.Text("the control plane's history could not be read; the server's standard error says why\n", "text/plain; charset=utf-8", statusCode: 500);
        }
    }
}
