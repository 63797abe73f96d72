using System.Diagnostics;
using System.Text.Json.Nodes;
using Strata.Adapters.Alerts;
using Strata.Adapters.Secrets;
using Strata.Core.Alerts;
using Strata.Core.Configuration;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Adapters.Tests.Alerts;

/// <summary>
/// Each channel's request as the service documents it, checked at a recording HTTPS sink; retries, refusals and
/// secrets. Schemas: Slack incoming webhooks https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
/// and Block Kit https://docs.slack.dev/reference/block-kit/blocks; Teams Workflows webhooks with Adaptive Cards
/// https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
/// and https://adaptivecards.io/explorer/; PagerDuty Events API v2 https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
/// (response codes and retries: https://developer.pagerduty.com/docs/events-api-v2/overview/).
/// </summary>
public sealed class HttpAlertChannelsTests : IAsyncLifetime
{
    private const string SlackPath = "/services/T0123ABCD/B0456EFGH/s3cr3tSlackT0k3n";
    private const string TeamsPath = "/workflows/8f1c/triggers/manual/paths/invoke?api-version=1&sig=s3cr3tT3amsS1g";
    private const string HookPath = "/hooks/strata";
    private const string RoutingKey = "R0UT1NGK3Y0123456789abcdefabcdef";
    private const string SigningSecret = "whsec_s3cr3t-s1gn1ng-k3y";
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string> _variables = [];
    private readonly ManualClock _clock = new(Start);
    private WebhookSink _sink = null!;
    private HttpAlertChannels _channels = null!;

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _sink.AnswerByDefault("/pagerduty/v2/enqueue", 202, """{"status":"success","message":"Event processed","dedup_key":"backup-failed/nightly/prod"}""");
        _sink.AnswerByDefault(TeamsPath, 202, "");
        _variables["SLACK_URL"] = _sink.Url(SlackPath).AbsoluteUri;
        _variables["TEAMS_URL"] = _sink.Url(TeamsPath).AbsoluteUri;
        _variables["HOOK_URL"] = _sink.Url(HookPath).AbsoluteUri;
        _variables["PD_KEY"] = RoutingKey;
        _variables["HOOK_SECRET"] = SigningSecret;
        _channels = new HttpAlertChannels(new SecretResolver(_variables.GetValueOrDefault), _clock, _sink.DeliveryOptions());
    }

    public async Task DisposeAsync()
    {
        _channels.Dispose();
        await _sink.DisposeAsync();
    }

    private static AlertChannelDefinition Slack => new() { Name = "platform", Type = AlertChannelType.Slack, Url = new(SecretSource.Environment, "SLACK_URL") };

    private static AlertChannelDefinition Teams => new() { Name = "ops", Type = AlertChannelType.Teams, Url = new(SecretSource.Environment, "TEAMS_URL") };

    private static AlertChannelDefinition Hook => new()
    {
        Name = "audit", Type = AlertChannelType.Webhook, Url = new(SecretSource.Environment, "HOOK_URL"), SigningSecret = new(SecretSource.Environment, "HOOK_SECRET"),
    };

    private AlertChannelDefinition PagerDuty => new()
    {
        Name = "oncall", Type = AlertChannelType.PagerDuty, Endpoint = _sink.Url("/pagerduty/v2/enqueue"), RoutingKey = new(SecretSource.Environment, "PD_KEY"),
    };

    /// <summary>A partial backup's alert: 20 failed items listed, 37 more.</summary>
    private AlertNotification Partial(AlertAction action = AlertAction.Trigger)
    {
        var raised = new Envelope("alert-backup-partial-1", "backup-1", Start, new AlertRaised(
            AlertSeverity.Critical, "backup-partial", "Backup of prod (policy nightly) missed 57 item(s) <&>", "backup-failed/nightly/prod", "prod", "nightly",
            "20261121-093000-abcdef", new Dictionary<string, string> { ["server"] = "https://prod.example:6443" },
            [.. Enumerable.Range(1, 20).Select(i => $"secrets in ns-{i}: forbidden")], 37));
        var incident = AlertRecord.First(raised, Start) with { Count = 3 };
        return action == AlertAction.Trigger
            ? AlertNotification.Raised(raised, incident, renotify: false, new Uri("https://strata.example.com/status"), Start)
            : AlertNotification.Resolved(raised.FollowedBy("resolve-1", Start, new AlertResolved("backup-failed/nightly/prod", "Backup 2 succeeded", "prod", "nightly")),
                incident, new Uri("https://strata.example.com/status"), Start.AddHours(1));
    }

    private void AssertNoSecretIn(string text)
    {
        foreach (var secret in new[] { "s3cr3tSlackT0k3n", "s3cr3tT3amsS1g", RoutingKey, SigningSecret })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task Slack_Trigger_IsAnIncomingWebhookMessageWithBlockKitBlocks()
    {
        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((true, 200, "ok", 1), (delivery.Delivered, delivery.StatusCode, delivery.Answer, delivery.Attempts));
        var request = Assert.Single(_sink.On(SlackPath));
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Headers["content-type"]);
        var body = request.Json;
        Assert.StartsWith("Critical: Backup partial — prod / nightly: Backup of prod", body["text"]!.GetValue<string>()); // the notification fallback
        var blocks = body["blocks"]!.AsArray().Select(b => b!.AsObject()).ToList();
        Assert.Equal(["header", "section", "section", "section", "context", "actions"], blocks.Select(b => b["type"]!.GetValue<string>()));
        Assert.Equal("plain_text", blocks[0]["text"]!["type"]!.GetValue<string>());
        Assert.True(blocks[0]["text"]!["text"]!.GetValue<string>().Length <= 150);
        Assert.Equal(("mrkdwn", "Backup of prod (policy nightly) missed 57 item(s) &lt;&amp;&gt;"), (blocks[1]["text"]!["type"]!.GetValue<string>(), blocks[1]["text"]!["text"]!.GetValue<string>()));
        var fields = blocks[2]["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>()).ToList();
        Assert.True(fields.Count <= 10);
        Assert.Contains("*Cluster*\nprod", fields);
        Assert.Contains("*Policy*\nnightly", fields);
        Assert.Contains("*Occurrences*\n3", fields);
        var items = blocks[3]["text"]!["text"]!.GetValue<string>().Split('\n');
        Assert.Equal("*Failed items (first 20 of 57)*", items[0]);
        Assert.Equal(20, items.Count(l => l.StartsWith("• secrets in ns-", StringComparison.Ordinal)));
        Assert.Equal("…and 37 more", items[^1]);
        Assert.All(blocks.Where(b => b["text"] is JsonObject t && t["type"]!.GetValue<string>() == "mrkdwn"), b => Assert.True(b["text"]!["text"]!.GetValue<string>().Length <= 3000));
        var button = blocks[5]["elements"]![0]!;
        Assert.Equal(("button", "https://strata.example.com/status"), (button["type"]!.GetValue<string>(), button["url"]!.GetValue<string>()));
        AssertNoSecretIn(request.Body);
    }

    [Fact]
    public async Task Slack_Resolve_SaysResolved()
    {
        await _channels.DeliverAsync(Slack, Partial(AlertAction.Resolve));

        var body = Assert.Single(_sink.On(SlackPath)).Json;
        Assert.Equal("Resolved: Backup partial — prod / nightly", body["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("Backup 2 succeeded", body["blocks"]![1]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Teams_Trigger_IsAMessageWithOneAdaptiveCardAttachment()
    {
        var delivery = await _channels.DeliverAsync(Teams, Partial());

        Assert.Equal((true, 202), (delivery.Delivered, delivery.StatusCode));
        var request = Assert.Single(_sink.On(TeamsPath));
        var body = request.Json;
        Assert.Equal("message", body["type"]!.GetValue<string>());
        var attachment = Assert.Single(body["attachments"]!.AsArray())!.AsObject();
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.True(attachment.ContainsKey("contentUrl") && attachment["contentUrl"] is null);
        var card = attachment["content"]!.AsObject();
        Assert.Equal(("AdaptiveCard", "1.4", "http://adaptivecards.io/schemas/adaptive-card.json"),
            (card["type"]!.GetValue<string>(), card["version"]!.GetValue<string>(), card["$schema"]!.GetValue<string>()));
        var elements = card["body"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["TextBlock", "TextBlock", "FactSet", "TextBlock", "TextBlock"], elements.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal(("Critical: Backup partial — prod / nightly", "Attention"), (elements[0]["text"]!.GetValue<string>(), elements[0]["color"]!.GetValue<string>()));
        var facts = elements[2]["facts"]!.AsArray().ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
        Assert.Equal(("prod", "nightly", "critical", "backup-failed/nightly/prod"), (facts["Cluster"], facts["Policy"], facts["Severity"], facts["Incident"]));
        Assert.Equal("Failed items (first 20 of 57)", elements[3]["text"]!.GetValue<string>());
        Assert.EndsWith("- secrets in ns-20: forbidden\n…and 37 more", elements[4]["text"]!.GetValue<string>());
        var action = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal(("Action.OpenUrl", "https://strata.example.com/status"), (action["type"]!.GetValue<string>(), action["url"]!.GetValue<string>()));
        AssertNoSecretIn(request.Body);
    }

    [Fact]
    public async Task PagerDuty_TriggerThenResolve_CarryTheSameDedupKey()
    {
        var trigger = await _channels.DeliverAsync(PagerDuty, Partial());
        var resolve = await _channels.DeliverAsync(PagerDuty, Partial(AlertAction.Resolve));

        Assert.Equal((true, 202), (trigger.Delivered, trigger.StatusCode));
        Assert.Contains("Event processed", trigger.Answer);
        Assert.True(resolve.Delivered);
        var (sent, resolved) = (_sink.Requests[0].Json, _sink.Requests[1].Json);
        Assert.Equal((RoutingKey, "trigger", "backup-failed/nightly/prod"),
            (sent["routing_key"]!.GetValue<string>(), sent["event_action"]!.GetValue<string>(), sent["dedup_key"]!.GetValue<string>()));
        var payload = sent["payload"]!.AsObject();
        Assert.Equal("Backup of prod (policy nightly) missed 57 item(s) <&>", payload["summary"]!.GetValue<string>());
        Assert.Equal(("strata/prod", "critical", "nightly", "backup-partial"),
            (payload["source"]!.GetValue<string>(), payload["severity"]!.GetValue<string>(), payload["component"]!.GetValue<string>(), payload["class"]!.GetValue<string>()));
        Assert.Contains(payload["severity"]!.GetValue<string>(), new[] { "critical", "error", "warning", "info" });
        Assert.Equal(Start, DateTimeOffset.Parse(payload["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var details = payload["custom_details"]!.AsObject();
        Assert.Equal(20, details["failed_items"]!.AsArray().Count);
        Assert.Equal((37, "prod", "20261121-093000-abcdef"), (details["more_failed_items"]!.GetValue<int>(), details["cluster"]!.GetValue<string>(), details["run"]!.GetValue<string>()));
        Assert.Equal("https://strata.example.com/status", sent["links"]![0]!["href"]!.GetValue<string>());
        // The resolve: routing_key, event_action and the same dedup_key, nothing else.
        Assert.Equal(["dedup_key", "event_action", "routing_key"], resolved.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("resolve", sent["dedup_key"]!.GetValue<string>(), RoutingKey),
            (resolved["event_action"]!.GetValue<string>(), resolved["dedup_key"]!.GetValue<string>(), resolved["routing_key"]!.GetValue<string>()));
        // The routing key goes where PagerDuty needs it, and nowhere else.
        Assert.Equal(1, _sink.Requests[0].Body.Split(RoutingKey).Length - 1);
    }

    [Fact]
    public void PagerDuty_DedupKeyLongerThan255_IsShortenedTheSameWayEveryTime()
    {
        var key = "drill-failed/" + new string('x', 300);

        var shortened = PagerDutyEvent.DedupKey(key);

        Assert.Equal(255, shortened.Length);
        Assert.Equal(shortened, PagerDutyEvent.DedupKey(key));
        Assert.NotEqual(shortened, PagerDutyEvent.DedupKey(key + "y"));
    }

    [Fact]
    public async Task Webhook_SendsTheEnvelope_SignedWithHmacSha256_VerifiableOnlyWithinTheReplayWindow()
    {
        var notification = Partial();

        var delivery = await _channels.DeliverAsync(Hook, notification);

        Assert.True(delivery.Delivered);
        var request = Assert.Single(_sink.On(HookPath));
        Assert.Equal(MessageCodec.Serialize(notification.Message), request.Body);
        Assert.True(MessageCodec.Parse(request.Body).Accepted); // the documented envelope, as docs/messages.md says
        var header = request.Headers["x-strata-signature"];
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", header);
        Assert.Equal($"t={Start.ToUnixTimeSeconds()}", header.Split(',')[0]);

        Assert.True(WebhookSignature.Verify(header, SigningSecret, request.Body, Start.AddMinutes(4), out var reason), reason);
        Assert.True(WebhookSignature.Verify(header, SigningSecret, request.Body, Start.AddMinutes(-4), out _));
        Assert.False(WebhookSignature.Verify(header, SigningSecret, request.Body, Start.AddMinutes(6), out reason));
        Assert.Equal("timestamp outside the replay window", reason);
        Assert.False(WebhookSignature.Verify(header, "another secret", request.Body, Start, out reason));
        Assert.Equal("signature does not match", reason);
        Assert.False(WebhookSignature.Verify(header, SigningSecret, request.Body.Replace("prod", "dev", StringComparison.Ordinal), Start, out _));
        Assert.False(WebhookSignature.Verify(header.Replace($"t={Start.ToUnixTimeSeconds()}", $"t={Start.AddMinutes(1).ToUnixTimeSeconds()}", StringComparison.Ordinal), SigningSecret, request.Body, Start, out _));
        Assert.False(WebhookSignature.Verify("v1=abc", SigningSecret, request.Body, Start, out reason));
        Assert.StartsWith("malformed", reason);
        AssertNoSecretIn(request.Body + string.Join("\n", request.Headers.Values));
    }

    [Fact]
    public async Task Webhook_Retried_IsSignedAfreshEachAttempt()
    {
        _sink.AnswerNext(1, 503, path: HookPath);

        var delivery = await _channels.DeliverAsync(Hook, Partial());

        Assert.Equal((true, 2), (delivery.Delivered, delivery.Attempts));
        Assert.All(_sink.On(HookPath), r => Assert.True(WebhookSignature.Verify(r.Headers["x-strata-signature"], SigningSecret, r.Body, Start, out _)));
    }

    [Fact]
    public async Task Delivery_429WithRetryAfter_ThenA500_IsRetriedAndDelivered_HonouringRetryAfter()
    {
        _sink.AnswerNext(1, 429, retryAfter: TimeSpan.FromSeconds(1), body: "rate_limited");
        _sink.AnswerNext(1, 500, body: "internal_error");
        var clock = Stopwatch.StartNew();

        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((true, 200, 3), (delivery.Delivered, delivery.StatusCode, delivery.Attempts));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"waited {clock.Elapsed}");
        Assert.Equal([429, 500, 200], _sink.On(SlackPath).Select(r => r.Status));
    }

    [Fact]
    public async Task Delivery_500Throughout_FailsAfterEveryAttempt_WithTheAnswer()
    {
        _sink.AnswerAlways(SlackPath, 500, "internal_error");

        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((false, 500, "internal_error", 4), (delivery.Delivered, delivery.StatusCode, delivery.Answer, delivery.Attempts));
        Assert.Equal("500 internal_error (4 attempts)", delivery.ToString());
    }

    [Theory]
    [InlineData(400, "invalid_payload")]
    [InlineData(403, "invalid_token")]
    [InlineData(404, "no_service")]
    [InlineData(410, "channel_is_archived")]
    public async Task Delivery_Refused_IsNotRetried(int status, string answer)
    {
        _sink.AnswerAlways(SlackPath, status, answer);

        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((false, status, answer, 1), (delivery.Delivered, delivery.StatusCode, delivery.Answer, delivery.Attempts));
    }

    [Fact]
    public async Task Delivery_RetryAfterLongerThanAllowed_IsNotWaitedFor()
    {
        _sink.AnswerNext(1, 429, retryAfter: TimeSpan.FromHours(1), body: "slow down");

        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((false, 429, 1), (delivery.Delivered, delivery.StatusCode, delivery.Attempts));
    }

    [Fact]
    public async Task Delivery_NoServerListening_FailsWithoutAnAnswer_AfterEveryAttempt()
    {
        using var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var free = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        _variables["SLACK_URL"] = $"https://127.0.0.1:{free}{SlackPath}";

        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((false, (int?)null, "no answer: the connection failed", 4), (delivery.Delivered, delivery.StatusCode, delivery.Answer, delivery.Attempts));
    }

    [Fact]
    public async Task Delivery_AServiceEchoingSecrets_HasThemStruckFromTheAnswer()
    {
        _sink.AnswerNext(1, 400, body: $"bad request to {_variables["SLACK_URL"]} ({SlackPath})");
        _sink.AnswerNext(1, 400, body: $"invalid routing_key {RoutingKey}");

        var slack = await _channels.DeliverAsync(Slack, Partial());
        var pager = await _channels.DeliverAsync(PagerDuty, Partial());

        Assert.Equal("bad request to [redacted] ([redacted])", slack.Answer);
        Assert.Equal("invalid routing_key [redacted]", pager.Answer);
    }

    [Theory]
    [InlineData(null, "secret env:SLACK_URL cannot be read: the environment variable is not set")]
    [InlineData("http://hooks.example.com/services/T0/B0/s3cr3tSlackT0k3n", "the value of env:SLACK_URL is not an https URL")]
    public async Task Delivery_SecretMissingOrNotAUrl_FailsNamingTheReferenceOnly(string? value, string answer)
    {
        if (value is null)
        {
            _variables.Remove("SLACK_URL");
        }
        else
        {
            _variables["SLACK_URL"] = value;
        }

        var delivery = await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal((false, answer, 0), (delivery.Delivered, delivery.Answer, delivery.Attempts));
        Assert.Empty(_sink.Requests);
    }

    [Fact]
    public async Task Delivery_RotatedSecret_TakesEffectAtTheNextDelivery()
    {
        await _channels.DeliverAsync(Slack, Partial());
        _variables["SLACK_URL"] = _sink.Url("/services/T0123ABCD/B0456EFGH/r0tat3d").AbsoluteUri;

        await _channels.DeliverAsync(Slack, Partial());

        Assert.Equal([SlackPath, "/services/T0123ABCD/B0456EFGH/r0tat3d"], _sink.Requests.Select(r => r.Path));
    }
}
