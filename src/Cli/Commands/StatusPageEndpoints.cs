using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Strata.Core.ControlPlane;

namespace Strata.Cli.Commands;

/// <summary>
/// What <c>strata serve</c> answers: every row of <see cref="HttpFunctions"/> that has a serve path, answered by the row's own
/// code, the same the Functions app runs — <c>GET /</c> the status page (<c>?cluster=NAME</c> for one cluster; an unknown one
/// is a 404 page), <c>GET /status</c> the <c>status</c> function's JSON, <c>GET /health</c> whether the control plane loaded.
/// The functions that start work are the control plane's only. <c>/metrics</c> is mapped beside these, by its own class.
/// </summary>
internal static class StatusPageEndpoints
{
    /// <summary>Maps the routes over <paramref name="context"/>; a request that fails is said on <paramref name="log"/>.</summary>
    public static IEndpointRouteBuilder MapStatusPageEndpoints(this IEndpointRouteBuilder app, ControlPlaneContext context, TextWriter log)
    {
        foreach (var function in HttpFunctions.All.Where(f => f.ServePath is not null))
        {
            app.MapMethods(function.ServePath!, [function.Method.ToUpperInvariant()], (HttpContext http, CancellationToken cancellationToken) => Guarded(http, log, async () =>
            {
                var call = new HttpCall(
                    context, "",
                    http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal));
                var answer = await function.Answer(call, cancellationToken);
                foreach (var (name, value) in answer.Headers.Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
                {
                    http.Response.Headers[name] = value;
                }

                return Results.Content(answer.Body, answer.ContentType, statusCode: answer.Status);
            }));
        }

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
