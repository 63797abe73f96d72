using System.Text.Json.Nodes;
using Strata.Adapters.Alerts;
using Strata.TestKit;
using Strata.TestKit.Alerts;

namespace Strata.Cli.Tests;

/// <summary><c>strata alert test</c>: the channel's answer, never a secret; exit 0 delivered, 1 refused, 2 bad input with nothing sent.</summary>
public sealed class AlertTestCommandTests : IAsyncLifetime
{
    private const string SlackPath = "/services/T0123/B0456/s3cr3tT0k3n";
    private const string RoutingKey = "R0UT1NGK3Y0123456789abcdefabcdef";
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _variables = [];
    private WebhookSink _sink = null!;

    public async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        _sink.AnswerByDefault("/v2/enqueue", 202, """{"status":"success","message":"Event processed","dedup_key":"x"}""");
        _variables["SLACK_URL"] = _sink.Url(SlackPath).AbsoluteUri;
        _variables["PD_KEY"] = RoutingKey;
        _variables["HOOK_URL"] = _sink.Url("/hook").AbsoluteUri;
        _variables["HOOK_SECRET"] = "whsec_s3cr3t";
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _dir.Dispose();
    }

    private string Config(string? channels = null) => _dir.File("strata.yaml", $"""
        clusters:
          - name: prod
            server: https://prod.example.com:6443
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
        alerts:
          statusPage: https://strata.example.com/status
          channels:
        {channels ?? $"""
            - {"{"} name: platform, type: slack, url: {"{"} env: SLACK_URL {"}"} {"}"}
            - {"{"} name: oncall, type: pagerduty, url: {_sink.Url("/v2/enqueue").AbsoluteUri}, routingKey: {"{"} env: PD_KEY {"}"} {"}"}
            - {"{"} name: audit, type: webhook, url: {"{"} env: HOOK_URL {"}"}, secret: {"{"} env: HOOK_SECRET {"}"} {"}"}
        """}
        """);

    private async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, _variables.GetValueOrDefault, false, TimeProvider.System) { AlertDelivery = _sink.DeliveryOptions(maxAttempts: 2) };
        var code = await StrataCli.RunAsync(args, environment);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private void AssertNoSecret(string text)
    {
        Assert.DoesNotContain("s3cr3t", text);
        Assert.DoesNotContain(RoutingKey, text);
        Assert.DoesNotContain(_sink.BaseUrl.Authority, text);
    }

    [Fact]
    public async Task Test_Slack_Delivered_PrintsTheAnswer_Exit0()
    {
        var (code, output, error) = await RunAsync("alert", "test", "--config", Config(), "--channel", "platform");

        Assert.True(code == 0, error);
        Assert.Equal("Test alert to platform (slack):\n  trigger  delivered  200 ok (1 attempt)\n", output);
        var sent = Assert.Single(_sink.On(SlackPath)).Json;
        Assert.Equal("Strata test alert", sent["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        AssertNoSecret(output + error);
    }

    [Fact]
    public async Task Test_PagerDuty_TriggersThenResolvesTheTest_Json()
    {
        var (code, output, _) = await RunAsync("alert", "test", "--config", Config(), "--channel", "oncall", "-o", "json");

        Assert.Equal(0, code);
        var result = JsonNode.Parse(output)!;
        Assert.Equal(("oncall", "pagerduty", true), (result["channel"]!.GetValue<string>(), result["type"]!.GetValue<string>(), result["delivered"]!.GetValue<bool>()));
        Assert.Equal(["trigger:202", "resolve:202"], result["deliveries"]!.AsArray().Select(d => $"{d!["action"]}:{d["statusCode"]}"));
        Assert.Contains("Event processed", result["deliveries"]![0]!["answer"]!.GetValue<string>());
        var events = _sink.On("/v2/enqueue").Select(r => r.Json).ToList();
        Assert.Equal(events[0]["dedup_key"]!.GetValue<string>(), events[1]["dedup_key"]!.GetValue<string>());
        Assert.Equal(("info", "test"), (events[0]["payload"]!["severity"]!.GetValue<string>(), events[0]["payload"]!["class"]!.GetValue<string>()));
        AssertNoSecret(output);
    }

    [Fact]
    public async Task Test_Webhook_IsSigned()
    {
        var (code, _, _) = await RunAsync("alert", "test", "--config", Config(), "--channel", "audit");

        Assert.Equal(0, code);
        var request = Assert.Single(_sink.On("/hook"));
        Assert.True(WebhookSignature.Verify(request.Headers["x-strata-signature"], "whsec_s3cr3t", request.Body, DateTimeOffset.UtcNow, out var reason), reason);
    }

    [Fact]
    public async Task Test_Refused_Exit1_WithTheServicesAnswer()
    {
        _sink.AnswerAlways(SlackPath, 403, "invalid_token");

        var (code, output, _) = await RunAsync("alert", "test", "--config", Config(), "--channel", "platform");

        Assert.Equal(1, code);
        Assert.Equal("Test alert to platform (slack):\n  trigger  REFUSED    403 invalid_token (1 attempt)\n", output);
    }

    [Fact]
    public async Task Test_UnknownChannel_Exit2_NothingSent()
    {
        var (code, output, error) = await RunAsync("alert", "test", "--config", Config(), "--channel", "pager");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("no channel 'pager' in", error);
        Assert.Contains("(channels: platform, oncall, audit)", error);
        Assert.Empty(_sink.Requests);
    }

    [Fact]
    public async Task Test_InlineUrl_Exit2_LocatedWithoutEchoingIt_NothingSent()
    {
        var config = Config("""
                - name: platform
                  type: slack
                  url: https://hooks.slack.com/services/T0123/B0456/s3cr3tT0k3n
            """);

        var (code, output, error) = await RunAsync("alert", "test", "--config", config, "--channel", "platform");

        Assert.Equal(2, code);
        Assert.Contains($"{config}:13:12: alerts.channels[0].url: a webhook URL is a secret", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.slack.com", error);
        AssertNoSecret(output + error);
        Assert.Empty(_sink.Requests);
    }

    [Fact]
    public async Task Test_UnknownChannelInARoute_Exit2_Located()
    {
        var config = Config("""
                - { name: platform, type: slack, url: { env: SLACK_URL } }
              routes:
                - { severity: critical, channels: [platform, pagerduty] }
            """);

        var (code, _, error) = await RunAsync("alert", "test", "--config", config, "--channel", "platform");

        Assert.Equal(2, code);
        Assert.Contains($"{config}:13:50: alerts.routes[0].channels[1]: unknown channel 'pagerduty' (channels: platform)", error);
        Assert.Empty(_sink.Requests);
    }

    [Fact]
    public async Task Test_SecretNotSet_Exit2_NamingTheReference_NothingSent()
    {
        _variables.Remove("SLACK_URL");

        var (code, output, _) = await RunAsync("alert", "test", "--config", Config(), "--channel", "platform");

        Assert.Equal(2, code);
        Assert.Contains("not sent   secret env:SLACK_URL cannot be read: the environment variable is not set", output);
        Assert.Empty(_sink.Requests);
    }
}
