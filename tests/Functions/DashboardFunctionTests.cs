using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;

namespace Strata.Functions.Tests;

/// <summary>
/// The <c>dashboard</c> HTTP function as the Functions host drives it: the host's documented request (<c>Data.req</c> with
/// its <c>Query</c>) in, the status page out as the <c>res</c> binding's body with its headers.
/// </summary>
public sealed class DashboardFunctionTests
{
    private static async Task<(ControlPlaneWorld World, WebApplication App, HttpClient Http)> StartAsync(RequestAuthorization? authorization = null)
    {
        var world = await ControlPlaneWorld.StartAsync();
        var app = HandlerApp.Build(["--urls", "http://127.0.0.1:0"], _ => Task.FromResult(world.Context), authorization ?? RequestAuthorization.KeysOnly);
        await app.StartAsync();
        return (world, app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    private static JsonObject Get(string route, string? cluster = null)
    {
        var payload = Principals.Request(route, "", method: "GET");
        if (cluster is not null)
        {
            payload["Data"]!["req"]!["Query"] = new JsonObject { ["cluster"] = cluster, ["code"] = "the-function-key" };
        }

        return payload;
    }

    private static async Task<(int Status, JsonObject Headers, string Body)> PostAsync(HttpClient http, string function, JsonObject payload)
    {
        using var response = await http.PostAsync("/" + function, new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the invocation worked; res says how the page answers
        var res = (await response.Content.ReadFromJsonAsync<JsonObject>())!["Outputs"]!["res"]!;
        return (res["statusCode"]!.GetValue<int>(), res["headers"]!.AsObject(), res["body"]!.GetValue<string>());
    }

    private static async Task DisposeAsync((ControlPlaneWorld World, WebApplication App, HttpClient Http) handler)
    {
        handler.Http.Dispose();
        await handler.App.StopAsync();
        await handler.App.DisposeAsync();
        await handler.World.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_Fleet_Answers200WithThePageAndItsHeaders()
    {
        var handler = await StartAsync();
        try
        {
            var world = handler.World;
            var (request, _) = Requests.Create(new BackupRequested("prod", "minutely", RequestedBy: "test"), "req-1", world.Clock.GetUtcNow(), world.Context.Configuration);
            await InlinePipeline.RunAsync(world.Context, request!);

            var (status, headers, body) = await PostAsync(handler.Http, "dashboard", Get("dashboard"));

            Assert.Equal(200, status);
            Assert.Equal("text/html; charset=utf-8", headers["Content-Type"]!.GetValue<string>());
            Assert.StartsWith("default-src 'none'; style-src 'sha256-", headers["Content-Security-Policy"]!.GetValue<string>());
            Assert.Equal(("nosniff", "no-referrer", "no-store"),
                (headers["X-Content-Type-Options"]!.GetValue<string>(), headers["Referrer-Policy"]!.GetValue<string>(), headers["Cache-Control"]!.GetValue<string>()));
            Assert.StartsWith("<!DOCTYPE html>", body);
            Assert.Contains("<td data-cluster=\"prod\" data-policy=\"minutely\" data-state=\"fresh\" data-layers=\"objects\"", body);
            Assert.Contains("<td data-cluster=\"dr\" data-policy=\"minutely\" data-state=\"never-proven\"", body);
            Assert.DoesNotContain(world.Prod.AdminToken, body);
        }
        finally
        {
            await DisposeAsync(handler);
        }
    }

    [Fact]
    public async Task Dashboard_OneCluster_ShowsOnlyIt_AnUnknownOneAnswers404SayingSo()
    {
        var handler = await StartAsync();
        try
        {
            var (okStatus, _, dr) = await PostAsync(handler.Http, "dashboard", Get("dashboard", "dr"));
            var (status, headers, body) = await PostAsync(handler.Http, "dashboard", Get("dashboard", "staging"));

            Assert.Equal(200, okStatus);
            Assert.Contains("<tr data-cluster=\"dr\">", dr);
            Assert.DoesNotContain("<tr data-cluster=\"prod\">", dr);
            Assert.Equal(404, status);
            Assert.Contains("cluster &#39;staging&#39; is not in strata.yaml", body);
            Assert.Equal("text/html; charset=utf-8", headers["Content-Type"]!.GetValue<string>());
            Assert.DoesNotContain("the-function-key", body);
        }
        finally
        {
            await DisposeAsync(handler);
        }
    }

    [Fact]
    public async Task Dashboard_AuthenticationOn_NeedsNoRole_AsStatus()
    {
        var handler = await StartAsync(RequestAuthorization.WithAppRoles);
        try
        {
            var (dashboard, _, _) = await PostAsync(handler.Http, "dashboard", Get("dashboard"));
            var (status, _, _) = await PostAsync(handler.Http, "status", Get("status"));

            Assert.Equal((200, 200), (dashboard, status));
        }
        finally
        {
            await DisposeAsync(handler);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Authorize_AnySettings_TreatsTheDashboardAsStatus(bool authentication, bool roles)
    {
        var authorization = new RequestAuthorization(authentication, roles);
        var request = HostPayload.Http(Principals.Request("dashboard", "", method: "GET"));

        var dashboard = authorization.Authorize(FunctionCatalog.Get("dashboard"), request);
        var status = authorization.Authorize(FunctionCatalog.Get("status"), request);

        Assert.Equal((status.Allowed, status.Status, status.Identity), (dashboard.Allowed, dashboard.Status, dashboard.Identity));
    }

    [Fact]
    public void Catalog_Dashboard_IsAGetWithAFunctionKeyAndNoRole_LikeStatus()
    {
        var dashboard = FunctionCatalog.Get("dashboard");
        var trigger = dashboard.FunctionJson()["bindings"]![0]!;

        Assert.Equal((TriggerKind.Http, "dashboard", "get", null), (dashboard.Trigger, dashboard.Source, dashboard.HttpMethod, dashboard.Role));
        Assert.Equal(("function", "dashboard"), (trigger["authLevel"]!.GetValue<string>(), trigger["route"]!.GetValue<string>()));
        Assert.Equal((FunctionCatalog.Get("status").Anonymous, FunctionCatalog.Get("status").Role), (dashboard.Anonymous, dashboard.Role));
    }
}
