using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Dashboard;
using Strata.Core.ControlPlane;
using Strata.Core.Serialization;
using Strata.Core.Status;

namespace Strata.Adapters.Hosting;

/// <summary>
/// Every HTTP function, once: the Functions app's catalog and handler and <c>strata serve</c> read this table, so adding an
/// HTTP function is one row. (Timer and queue functions are rows of Core's <see cref="ControlPlaneFunctions"/>.)
/// <c>health</c> is anonymous (platform probes carry no key; it says only whether the control plane loads); <c>status</c> and
/// <c>dashboard</c> (the status page, the same data as HTML) need a function key (monitoring and people read them; they start
/// nothing); the three that start work need a key and, with App Service Authentication on, their app role.
/// </summary>
public static class HttpFunctions
{
    /// <summary>The table.</summary>
    public static IReadOnlyList<HttpFunction> All { get; } =
    [
        new("health", "health", "get", HttpAccess.Anonymous, null, [], "/health", HealthAsync) { Probe = true },
        new("status", "status", "get", HttpAccess.FunctionKey, null, [], "/status", StatusAsync),
        new("dashboard", "dashboard", "get", HttpAccess.FunctionKey, null, [], "/", DashboardAsync),
        new("request-backup", "backups", "post", HttpAccess.FunctionKey, AppRoles.Requester, [Queues.Backups], null, WorkRequests.BackupAsync),
        new("request-restore", "restores", "post", HttpAccess.FunctionKey, AppRoles.Operator, [Queues.Restores], null, WorkRequests.RestoreAsync),
        new("request-drill", "drills", "post", HttpAccess.FunctionKey, AppRoles.Requester, [Queues.Verifications], null, WorkRequests.DrillAsync),
    ];

    /// <summary>The HTTP function named <paramref name="name"/>.</summary>
    public static HttpFunction Get(string name) => All.Single(f => f.Name == name);

    /// <summary>The control plane loaded: how many policies and clusters, from which file (its name only).</summary>
    private static Task<HttpAnswer> HealthAsync(HttpCall call, CancellationToken cancellationToken) =>
        Task.FromResult(Health(healthy: true, $"{call.Context.Configuration.Policies.Count} policies, {call.Context.Configuration.Clusters.Count} clusters "
            + $"from {DashboardReport.ConfigurationName(call.Context.Configuration.Source)}"));

    /// <summary>The probe's answer: 200 ok, or 503 with why the control plane did not load.</summary>
    public static HttpAnswer Health(bool healthy, string detail) =>
        HttpAnswer.Json(healthy ? 200 : 503, new JsonObject { ["status"] = healthy ? "ok" : "unhealthy", ["detail"] = detail });

    private static async Task<HttpAnswer> StatusAsync(HttpCall call, CancellationToken cancellationToken) =>
        HttpAnswer.Json(200, JsonSerializer.SerializeToNode(await StatusReport.BuildAsync(call.Context, cancellationToken), StrataJson.Default.FleetStatus)!);

    private static async Task<HttpAnswer> DashboardAsync(HttpCall call, CancellationToken cancellationToken)
    {
        var page = await StatusPage.RespondAsync(call.Context, call.Query.GetValueOrDefault("cluster"), cancellationToken);
        return new HttpAnswer(page.StatusCode, page.Html, page.Headers, new FunctionResult());
    }
}
