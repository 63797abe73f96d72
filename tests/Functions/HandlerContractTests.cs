using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.TestKit;

namespace Strata.Functions.Tests;

/// <summary>
/// The handler as the Functions host drives it: each test POSTs the host's documented request
/// shapes (timer, Service Bus with either body encoding and its metadata, HTTP) to the running
/// handler and checks the response document and its outputs, against two sandbox clusters.
/// </summary>
public sealed class HandlerContractTests : IAsyncLifetime
{
    private ControlPlaneWorld _world = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _world = await ControlPlaneWorld.StartAsync();
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
    }

    private static JsonObject Timer(bool pastDue = false) => new()
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject { ["Last"] = "2026-11-21T09:59:00Z", ["Next"] = "2026-11-21T10:01:00Z", ["LastUpdated"] = "2026-11-21T09:59:00Z" },
                ["IsPastDue"] = pastDue,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = "schedule-tick", ["UtcNow"] = "2026-11-21T10:00:00Z", ["RandGuid"] = Guid.NewGuid().ToString() } },
    };

    private static JsonObject ServiceBus(JsonNode body, string messageId, int deliveryCount = 1) => new()
    {
        ["Data"] = new JsonObject { ["message"] = body },
        ["Metadata"] = new JsonObject
        {
            ["DeliveryCount"] = deliveryCount,
            ["MessageId"] = messageId,
            ["ContentType"] = "application/json",
            ["EnqueuedTimeUtc"] = "2026-11-21T10:00:01Z",
            ["SequenceNumber"] = 42,
            ["ApplicationProperties"] = new JsonObject { ["source"] = "ci" },
            ["UserProperties"] = new JsonObject { ["source"] = "ci" },
            ["MessageActions"] = new JsonObject(),
            ["MessageReceiver"] = new JsonObject(),
            ["sys"] = new JsonObject { ["MethodName"] = "backup-worker" },
        },
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string function, JsonObject payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = JsonContent.Create(payload) };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.0");
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, body!);
    }

    private static List<JsonObject> Output(JsonObject response, string binding) =>
        (response["Outputs"]![binding] as JsonArray ?? []).Select(n => Assert.IsType<JsonObject>(n)).ToList();

    private static JsonObject Envelope(Envelope envelope) => MessageCodec.ToJson(envelope);

    private async Task<List<BackupRecord>> BackupsAsync() => await _world.Location.History.ListBackupsAsync().ToListAsync();

    [Fact]
    public async Task ScheduleTick_FirstSightThenDue_EmitsOneObjectPerClusterOnce()
    {
        var (status, first) = await PostAsync("schedule-tick", Timer());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(Output(first, "backups")); // a new policy starts from its latest occurrence
        Assert.IsType<JsonArray>(first["Logs"]);

        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, due) = await PostAsync("schedule-tick", Timer());
        var (_, doubleFire) = await PostAsync("schedule-tick", Timer());

        var messages = Output(due, "backups");
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal("BackupRequested", m["type"]!.GetValue<string>()));
        Assert.Equal(["dr", "prod"], messages.Select(m => m["payload"]!["cluster"]!.GetValue<string>()).Order());
        Assert.All(messages, m => Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 1, 0, TimeSpan.Zero), m["payload"]!["scheduledFor"]!.GetValue<DateTimeOffset>()));
        Assert.Empty(Output(doubleFire, "backups"));
        Assert.Null(due["ReturnValue"]);
    }

    [Fact]
    public async Task ScheduleTick_AfterAnHourDown_CatchesUpOnce()
    {
        await PostAsync("schedule-tick", Timer());
        _world.Clock.Advance(TimeSpan.FromMinutes(61));

        var (_, response) = await PostAsync("schedule-tick", Timer(pastDue: true));

        Assert.Equal(2, Output(response, "backups").Count);
        Assert.Contains(response["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("caught up; 60 earlier occurrence(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackupWorker_ObjectBody_RunsTheBackupAndEmitsVerifyAndCompleted()
    {
        var request = ScheduleTick.Request(_world.Context.Configuration.FindPolicy("minutely")!, _world.Context.Configuration.FindCluster("prod")!, _world.Clock.GetUtcNow().AddSeconds(-30), _world.Clock.GetUtcNow());

        var (status, response) = await PostAsync("backup-worker", ServiceBus(Envelope(request), "sb-1"));

        Assert.Equal(HttpStatusCode.OK, status);
        var record = Assert.Single(await BackupsAsync());
        Assert.Equal(BackupStatus.Succeeded, record.Status);
        Assert.Equal(BackupWorker.BackupIdFor(request), record.Id);
        Assert.True(record.ObjectCount > 20);
        var verify = Assert.Single(Output(response, "verifications"));
        Assert.Equal("VerifyRequested", verify["type"]!.GetValue<string>());
        Assert.Equal(record.Id, verify["payload"]!["backupId"]!.GetValue<string>());
        Assert.Equal(request.Id, verify["correlationId"]!.GetValue<string>());
        Assert.Equal("succeeded", Assert.Single(Output(response, "events"))["payload"]!["status"]!.GetValue<string>());
        Assert.Empty(Output(response, "alerts"));
    }

    [Fact]
    public async Task BackupWorker_ReplayedAsAJsonEncodedString_CreatesNothingTwice()
    {
        var request = new Envelope("ci-run-9", "ci-run-9", _world.Clock.GetUtcNow(), new BackupRequested("prod", "minutely", RequestedBy: "ci"));
        var (_, first) = await PostAsync("backup-worker", ServiceBus(Envelope(request), "sb-2"));
        var artifactsAfterFirst = Directory.GetFiles(_world.Store, "*", SearchOption.AllDirectories).Length;

        // Redelivered, with the body as a JSON string of the envelope (and once more, doubly encoded).
        var (status, replay) = await PostAsync("backup-worker", ServiceBus(JsonValue.Create(MessageCodec.Serialize(request)), "sb-2", deliveryCount: 2));
        var (_, doubly) = await PostAsync("backup-worker", ServiceBus(JsonValue.Create(System.Text.Json.JsonSerializer.Serialize(MessageCodec.Serialize(request))), "sb-2", 3));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(await BackupsAsync());
        Assert.Equal(artifactsAfterFirst, Directory.GetFiles(_world.Store, "*", SearchOption.AllDirectories).Length);
        Assert.Equal(Output(first, "verifications")[0]["id"]!.GetValue<string>(), Output(replay, "verifications")[0]["id"]!.GetValue<string>());
        Assert.Single(Output(doubly, "verifications"));
        Assert.Contains(replay["Logs"]!.AsArray(), l => l!.GetValue<string>().Contains("already ran", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x1","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"prod"}}""", "payload: missing required fields")]
    [InlineData("""{"type":"BackupRequested","version":1,"id":"x2","createdAt":"2026-11-21T10:00:00Z","payload":{"cluster":"qa","policy":"minutely"}}""", "cluster 'qa' is not in")]
    [InlineData("""{"type":"RestoreRequested","version":1,"id":"x3","createdAt":"2026-11-21T10:00:00Z","payload":{"backupId":"b","targetCluster":"dr"}}""", "does not belong on queue strata-backups")]
    [InlineData("""{"type":"BackupDeleted","version":1,"id":"x4","createdAt":"2026-11-21T10:00:00Z","payload":{}}""", "unknown message type")]
    [InlineData("""garbage""", "not JSON")]
    public async Task BackupWorker_UnusableMessage_IsRecordedRejectedAlertedAndCompleted(string body, string reason)
    {
        var payload = ServiceBus(JsonValue.Create(body), "sb-bad");

        var (status, response) = await PostAsync("backup-worker", payload);
        var (redeliveredStatus, redelivered) = await PostAsync("backup-worker", ServiceBus(JsonValue.Create(body), "sb-bad", deliveryCount: 2));

        Assert.Equal(HttpStatusCode.OK, status); // completed: never redelivered to fail again
        var alert = Assert.Single(Output(response, "alerts"));
        Assert.Equal("message-rejected", alert["payload"]!["kind"]!.GetValue<string>());
        Assert.Contains(reason, alert["payload"]!["summary"]!.GetValue<string>());
        var rejected = Assert.Single(await _world.Context.State.ListRejectedAsync().ToListAsync());
        Assert.Equal(body, rejected.Body);
        Assert.Equal("strata-backups", rejected.Queue);
        Assert.Contains(reason, rejected.Reason);
        Assert.Equal(HttpStatusCode.OK, redeliveredStatus);
        Assert.Empty(Output(redelivered, "alerts")); // alerted once
        Assert.Empty(await BackupsAsync());
    }

    [Fact]
    public async Task BackupWorker_LeaseHeldByAnotherBackup_RecordsSkippedAndAlerts()
    {
        await _world.Context.State.TryAcquireLeaseAsync("backup/minutely/prod", "20261121-095900-aaaaaa", _world.Clock.GetUtcNow(), TimeSpan.FromHours(1));
        var request = new Envelope("ci-run-10", "ci-run-10", _world.Clock.GetUtcNow(), new BackupRequested("prod", "minutely"));

        var (_, response) = await PostAsync("backup-worker", ServiceBus(Envelope(request), "sb-3"));

        var record = Assert.Single(await BackupsAsync());
        Assert.Equal(BackupStatus.Skipped, record.Status);
        Assert.Contains("20261121-095900-aaaaaa", record.Error);
        Assert.Equal("backup-skipped", Assert.Single(Output(response, "alerts"))["payload"]!["kind"]!.GetValue<string>());
        Assert.Empty(Output(response, "verifications"));
    }

    [Fact]
    public async Task BackupWorker_ClusterDown_RecordsTheFailureAndAlerts()
    {
        await _world.Dr.DisposeAsync();
        var request = new Envelope("ci-run-11", "ci-run-11", _world.Clock.GetUtcNow(), new BackupRequested("dr", "minutely"));

        var (status, response) = await PostAsync("backup-worker", ServiceBus(Envelope(request), "sb-4"));

        Assert.Equal(HttpStatusCode.OK, status); // not transient for the control plane: recorded, alerted
        var record = Assert.Single(await BackupsAsync());
        Assert.Equal(BackupStatus.Failed, record.Status);
        Assert.Contains($"cannot reach {_world.Dr.Url.AbsoluteUri}", record.Error);
        var alert = Assert.Single(Output(response, "alerts"));
        Assert.Equal("critical", alert["payload"]!["severity"]!.GetValue<string>());
        Assert.Equal("backup-failed/minutely/dr", alert["payload"]!["dedupKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestBackup_OverHttp_Answers202AndSendsTheMessage()
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                ["req"] = new JsonObject
                {
                    ["Url"] = "https://strata.azurewebsites.net/api/backups",
                    ["Method"] = "POST",
                    ["Query"] = new JsonObject(),
                    ["Headers"] = new JsonObject { ["Content-Type"] = new JsonArray("application/json"), ["Idempotency-Key"] = new JsonArray("upgrade-131") },
                    ["Params"] = new JsonObject(),
                    ["Body"] = """{"cluster":"prod","policy":"minutely","reason":"before upgrade"}""",
                },
            },
            ["Metadata"] = new JsonObject(),
        };

        var (status, response) = await PostAsync("request-backup", payload);

        Assert.Equal(HttpStatusCode.OK, status);
        var res = response["Outputs"]!["res"]!;
        Assert.Equal(202, res["statusCode"]!.GetValue<int>());
        var sent = Assert.Single(Output(response, "backups"));
        Assert.Equal("upgrade-131", sent["id"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(res["body"]!.GetValue<string>())!["runId"]!.GetValue<string>(),
            BackupWorker.BackupIdFor(MessageCodec.Parse(sent.ToJsonString()).Message!));
    }

    [Fact]
    public async Task RequestRestore_Invalid_Answers400AndSendsNothing()
    {
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject { ["req"] = new JsonObject { ["Method"] = "POST", ["Body"] = """{"backupId":"20261121-100000-abcdef","targetCluster":"nowhere"}""" } },
            ["Metadata"] = new JsonObject(),
        };

        var (_, response) = await PostAsync("request-restore", payload);

        Assert.Equal(400, response["Outputs"]!["res"]!["statusCode"]!.GetValue<int>());
        Assert.Contains("cluster 'nowhere' is not in", response["Outputs"]!["res"]!["body"]!.GetValue<string>());
        Assert.Empty(Output(response, "restores"));
    }

    [Fact]
    public async Task Status_ReportsEveryPolicyAndCluster()
    {
        var (_, response) = await PostAsync("status", new JsonObject { ["Data"] = new JsonObject { ["req"] = new JsonObject { ["Method"] = "GET" } }, ["Metadata"] = new JsonObject() });

        var body = JsonNode.Parse(response["Outputs"]!["res"]!["body"]!.GetValue<string>())!;
        Assert.Equal(2, body["protection"]!.AsArray().Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 1, 0, TimeSpan.Zero), body["protection"]![0]!["nextRun"]!.GetValue<DateTimeOffset>());
        Assert.Equal("NoObjective", body["protection"]![0]!["rpoState"]!.GetValue<string>());
    }

    [Fact]
    public async Task AlertDispatcher_RecordsIncidentsDeduplicated()
    {
        var first = new Envelope("a1", "a1", _world.Clock.GetUtcNow(), new AlertRaised(AlertSeverity.Critical, "backup-failed", "boom", "backup-failed/minutely/dr"));
        var second = first with { Id = "a2" };

        await PostAsync("alert-dispatcher", ServiceBus(Envelope(first), "m1"));
        await PostAsync("alert-dispatcher", ServiceBus(Envelope(first), "m1", 2));
        await PostAsync("alert-dispatcher", ServiceBus(Envelope(second), "m2"));

        var incident = Assert.Single(await _world.Context.State.ListAlertsAsync().ToListAsync());
        Assert.Equal(2, incident.Count);
    }

    [Fact]
    public async Task TransientFailure_Answers500WithoutOutputs()
    {
        Directory.CreateDirectory(Path.Combine(_world.Dir.Path, "store", "history", "backups"));
        File.WriteAllText(Path.Combine(_world.Dir.Path, "store", "history", "backups", "20261121-100000-000000.json"), "{ not json");
        var (status, response) = await PostAsync("status", new JsonObject { ["Data"] = new JsonObject { ["req"] = new JsonObject() } });

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Empty(response["Outputs"]!.AsObject());
        Assert.Contains("unreadable run record", response["Logs"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task UnreadableInvocation_Answers400()
    {
        using var response = await _http.PostAsync("/backup-worker", new StringContent("[1,2"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
