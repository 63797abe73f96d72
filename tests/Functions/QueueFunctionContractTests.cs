using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Functions.Tests;

/// <summary>
/// What every queue-triggered function of the catalog owes the Functions host, checked by iterating the catalog: a
/// message that can never be used, delivered as the host delivers it (a Service Bus body that is a JSON string, with the
/// host's metadata), is completed — 200 — with outputs only on bindings the function has (the host fails an invocation
/// whose outputs name a binding it does not have, and a 500 makes it redeliver until the message dead-letters).
/// The alert dispatcher, which cannot write to its own queue, records and delivers its rejection's alert itself.
/// </summary>
public sealed class QueueFunctionContractTests : IAsyncLifetime
{
    private const string Alerts = """
        alerts:
          channels:
            - { name: oncall, type: pagerduty, url: PAGERDUTY_URL, routingKey: { env: PD_KEY } }
            - { name: platform, type: slack, url: { env: SLACK_URL } }
          routes:
            - { severity: critical, channels: [oncall] }
            - { severity: warning, channels: [platform] }
        """;

    private const string RoutingKey = "R0UT1NGK3Y0123456789abcdefabcdef";
    private WebhookSink _sink = null!;
    private ControlPlaneWorld _world = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public static TheoryData<string> QueueFunctions => [.. FunctionCatalog.All.Where(f => f.Trigger == TriggerKind.Queue).Select(f => f.Name)];

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _sink.AnswerByDefault("/v2/enqueue", 202, """{"status":"success","message":"Event processed"}""");
        _world = await ControlPlaneWorld.StartAsync(alerts: Alerts.Replace("PAGERDUTY_URL", _sink.Url("/v2/enqueue").AbsoluteUri, StringComparison.Ordinal),
            alertDelivery: _sink.DeliveryOptions());
        _world.Variables["PD_KEY"] = RoutingKey;
        _world.Variables["SLACK_URL"] = _sink.Url("/services/T0/B0/s3cr3t").AbsoluteUri;
        _app = HandlerApp.Build(["--urls", "http://127.0.0.1:0"], _ => Task.FromResult(_world.Context));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _world.DisposeAsync();
        await _sink.DisposeAsync();
    }

    /// <summary>A Service Bus invocation as the host documents it (reference/functions-custom-handler.md).</summary>
    private static JsonObject ServiceBus(JsonNode body, string messageId, string function, int deliveryCount = 1) => new()
    {
        ["Data"] = new JsonObject { ["message"] = body },
        ["Metadata"] = new JsonObject
        {
            ["DeliveryCount"] = deliveryCount,
            ["MessageId"] = messageId,
            ["ContentType"] = "application/json",
            ["EnqueuedTimeUtc"] = "2026-11-21T10:00:01Z",
            ["SequenceNumber"] = 7,
            ["ApplicationProperties"] = new JsonObject(),
            ["UserProperties"] = new JsonObject(),
            ["MessageActions"] = new JsonObject(),
            ["MessageReceiver"] = new JsonObject(),
            ["sys"] = new JsonObject { ["MethodName"] = function, ["UtcNow"] = "2026-11-21T10:00:02Z", ["RandGuid"] = Guid.NewGuid().ToString() },
        },
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string function, JsonObject payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = JsonContent.Create(payload) };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Theory]
    [MemberData(nameof(QueueFunctions))]
    public async Task MalformedMessage_AsTheHostDeliversIt_IsCompleted_WithOutputsOnlyOnItsOwnBindings(string name)
    {
        var function = FunctionCatalog.Get(name);
        var bindings = function.Sends.ToDictionary(FunctionDefinition.BindingFor, q => q);

        var (status, response) = await PostAsync(name, ServiceBus(JsonValue.Create("{not json"), $"sb-malformed-{name}", name));

        Assert.True(status == HttpStatusCode.OK, $"{name} answered {(int)status}: {response["Logs"]?.ToJsonString()}");
        var outputs = response["Outputs"]!.AsObject();
        Assert.All(outputs, output =>
        {
            Assert.True(bindings.ContainsKey(output.Key), $"{name} has no output binding '{output.Key}' (it has {string.Join(", ", bindings.Keys)})");
            Assert.All(output.Value!.AsArray(), message =>
            {
                var parsed = MessageCodec.Parse(message!.ToJsonString());
                Assert.True(parsed.Accepted, parsed.Rejection);
                Assert.Equal(bindings[output.Key], Queues.For(parsed.Message!.Payload));
            });
        });
        var rejected = Assert.Single(await _world.Context.State.ListRejectedAsync().ToListAsync());
        Assert.Equal((function.Source, "{not json", $"sb-malformed-{name}"), (rejected.Queue, rejected.Body, rejected.Key));
        var alerted = outputs.TryGetPropertyValue("alerts", out var alerts) && alerts!.AsArray().Count == 1
            || (await _world.Context.State.FindAlertAsync($"message-rejected/{function.Source}")) is not null;
        Assert.True(alerted, $"{name} neither sent nor recorded the rejection's alert");
    }

    [Fact]
    public async Task AlertDispatcher_MalformedMessage_DeliversItsOwnRejectionAlert_Once()
    {
        await PostAsync("alert-dispatcher", ServiceBus(JsonValue.Create("{not json"), "sb-bad", "alert-dispatcher"));
        var (status, redelivered) = await PostAsync("alert-dispatcher", ServiceBus(JsonValue.Create("{not json"), "sb-bad", "alert-dispatcher", deliveryCount: 2));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(redelivered["Outputs"]!.AsObject());
        var slack = Assert.Single(_sink.On("/services/T0/B0/s3cr3t"));
        Assert.Contains("Rejected message sb-bad on strata-alerts: not JSON", slack.Body);
        Assert.Empty(_sink.On("/v2/enqueue")); // a warning: not for the critical route
    }

    [Fact]
    public async Task AlertDispatcher_TriggerThenResolve_ReachPagerDutyWithTheSameDedupKey_AndStatusShowsTheChannels()
    {
        var now = _world.Clock.GetUtcNow();
        var raised = new Envelope("alert-backup-failed-1", "backup-1", now, new AlertRaised(
            AlertSeverity.Critical, "backup-failed", "Backup of prod (policy minutely) failed: forbidden", "backup-failed/minutely/prod", "prod", "minutely", "20261121-100000-abcdef"));
        var resolved = new Envelope("resolve-backup-failed-2", "backup-2", now.AddMinutes(5), new AlertResolved("backup-failed/minutely/prod", "Backup 2 succeeded", "prod", "minutely"));

        var (triggerStatus, trigger) = await PostAsync("alert-dispatcher", ServiceBus(MessageCodec.ToJson(raised), "m-1", "alert-dispatcher"));
        _world.Clock.Advance(TimeSpan.FromMinutes(5));
        var (resolveStatus, _) = await PostAsync("alert-dispatcher", ServiceBus(JsonValue.Create(MessageCodec.Serialize(resolved)), "m-2", "alert-dispatcher"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (triggerStatus, resolveStatus));
        var events = _sink.On("/v2/enqueue").Select(r => r.Json).ToList();
        Assert.Equal(["trigger", "resolve"], events.Select(e => e["event_action"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(("backup-failed/minutely/prod", RoutingKey), (e["dedup_key"]!.GetValue<string>(), e["routing_key"]!.GetValue<string>())));
        Assert.Equal(2, _sink.On("/services/T0/B0/s3cr3t").Count); // the warning route: trigger and resolve
        var logs = string.Join("\n", trigger["Logs"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Contains("oncall: delivered 202", logs);
        Assert.DoesNotContain(RoutingKey, logs);
        Assert.DoesNotContain("s3cr3t", logs);

        var (_, status) = await PostAsync("status", new JsonObject { ["Data"] = new JsonObject { ["req"] = new JsonObject { ["Method"] = "GET" } }, ["Metadata"] = new JsonObject() });
        var report = JsonNode.Parse(status["Outputs"]!["res"]!["body"]!.GetValue<string>())!;
        Assert.Equal(["oncall:ok", "platform:ok"], report["alertChannels"]!.AsArray().Select(c => $"{c!["name"]}:{c["state"]}"));
        Assert.Equal("Resolved", report["alerts"]![0]!["status"]!.GetValue<string>());
        Assert.DoesNotContain("s3cr3t", report.ToJsonString());
    }

    [Fact]
    public async Task AlertDispatcher_ChannelThatKeepsFailing_IsRecordedAndShown_TheOtherStillReceives()
    {
        _sink.AnswerAlways("/services/T0/B0/s3cr3t", 404, "no_service");
        var raised = new Envelope("alert-1", "alert-1", _world.Clock.GetUtcNow(), new AlertRaised(AlertSeverity.Critical, "backup-failed", "boom", "backup-failed/minutely/dr", "dr", "minutely"));

        var (status, _) = await PostAsync("alert-dispatcher", ServiceBus(MessageCodec.ToJson(raised), "m-1", "alert-dispatcher"));

        Assert.Equal(HttpStatusCode.OK, status); // completed: the failing channel is recorded, not redelivered to everyone
        Assert.Single(_sink.On("/v2/enqueue"));
        var (_, report) = await PostAsync("status", new JsonObject { ["Data"] = new JsonObject { ["req"] = new JsonObject { ["Method"] = "GET" } }, ["Metadata"] = new JsonObject() });
        var channels = JsonNode.Parse(report["Outputs"]!["res"]!["body"]!.GetValue<string>())!["alertChannels"]!.AsArray();
        var platform = channels.Single(c => c!["name"]!.GetValue<string>() == "platform")!;
        Assert.Equal(("failing", 1, "404 no_service (1 attempt)"), (platform["state"]!.GetValue<string>(), platform["consecutiveFailures"]!.GetValue<int>(), platform["lastError"]!.GetValue<string>()));
    }
}
