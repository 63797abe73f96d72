using Strata.Adapters.Azure.ServiceBus;
using Strata.Core.Messages;
using Strata.TestKit.Azure;

namespace Strata.Adapters.Tests.Azure;

/// <summary>Send Message over REST with an Entra ID token, against a fake that answers as the reference says.</summary>
public sealed class ServiceBusSenderTests : IAsyncLifetime
{
    private static readonly Envelope Request = new(
        "ci-upgrade-1.31-prod-weu", "ci-upgrade-1.31", new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero),
        new BackupRequested("prod-weu", "nightly", Reason: "before upgrade to 1.31", RequestedBy: "pipeline"));

    private RecordingServiceBus _bus = null!;

    public async Task InitializeAsync() => _bus = await RecordingServiceBus.StartAsync("sb-token", "strata-backups");

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    private ServiceBusSender Sender(RecordingCredential credential, int retries = 0)
    {
        var options = new ServiceBusClientOptions { Transport = _bus.Transport() };
        options.Retry.MaxRetries = retries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        return new ServiceBusSender(_bus.Endpoint, credential, options);
    }

    [Fact]
    public async Task Send_PostsTheEnvelope_WithAServiceBusToken_AndItsIdAsMessageId()
    {
        var credential = new RecordingCredential("sb-token");

        await Sender(credential).SendAsync("strata-backups", Request);

        var request = Assert.Single(_bus.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/strata-backups/messages", request.PathAndQuery);
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.Scopes.Distinct());
        var sent = Assert.Single(_bus.Queues["strata-backups"]);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("ci-upgrade-1.31-prod-weu", sent.BrokerProperties["MessageId"]!.GetValue<string>());
        Assert.Equal("ci-upgrade-1.31", sent.BrokerProperties["CorrelationId"]!.GetValue<string>());
        Assert.Equal("BackupRequested", sent.BrokerProperties["Label"]!.GetValue<string>());

        // The body is the envelope the workers parse, exactly.
        var parsed = MessageCodec.Parse(sent.Body);
        Assert.True(parsed.Accepted, parsed.Rejection);
        Assert.Equal(Request, parsed.Message);
    }

    [Fact]
    public async Task Send_ServiceBusy_RetriesWithTheSameMessageId()
    {
        _bus.FailNext(2);

        await Sender(new RecordingCredential("sb-token"), retries: 3).SendAsync("strata-backups", Request);

        Assert.Equal(3, _bus.Requests.Count);
        Assert.Single(_bus.Queues["strata-backups"]);
        Assert.All(_bus.Requests, r => Assert.Contains("\"MessageId\":\"ci-upgrade-1.31-prod-weu\"", r.Headers["BrokerProperties"]));
    }

    [Fact]
    public async Task Send_TokenRefused_SaysSoWithoutTheToken()
    {
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => Sender(new RecordingCredential("stale-token")).SendAsync("strata-backups", Request));

        Assert.Equal(401, error.Status);
        Assert.Contains("queue strata-backups in 127.0.0.1", error.Message);
        Assert.Contains("the token was refused", error.Message);
        Assert.Contains("MissingToken", error.Message);
        Assert.DoesNotContain("stale-token", error.Message);
    }

    [Fact]
    public async Task Send_UnknownQueue_NamesIt()
    {
        var error = await Assert.ThrowsAsync<ServiceBusException>(() => Sender(new RecordingCredential("sb-token")).SendAsync("strata-backup", Request));

        Assert.Equal(404, error.Status);
        Assert.Contains("queue strata-backup", error.Message);
        Assert.Contains("no such queue", error.Message);
        Assert.Contains("could not be found", error.Message);
    }

    [Fact]
    public async Task Send_NamespaceUnreachable_SaysSo()
    {
        var endpoint = _bus.Endpoint;
        await _bus.DisposeAsync();
        var options = new ServiceBusClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var sender = new ServiceBusSender(endpoint, new RecordingCredential("sb-token"), options);

        var error = await Assert.ThrowsAsync<ServiceBusException>(() => sender.SendAsync("strata-backups", Request));

        Assert.Equal(0, error.Status);
        Assert.Contains("could not be reached", error.Message);
        _bus = await RecordingServiceBus.StartAsync("sb-token", "strata-backups");
    }

    [Theory]
    [InlineData("strata-prod", "https://strata-prod.servicebus.windows.net/")]
    [InlineData("strata-prod.servicebus.windows.net", "https://strata-prod.servicebus.windows.net/")]
    [InlineData("strata-gov.servicebus.usgovcloudapi.net", "https://strata-gov.servicebus.usgovcloudapi.net/")]
    [InlineData("https://strata-prod.servicebus.windows.net", "https://strata-prod.servicebus.windows.net/")]
    [InlineData(" https://strata-prod.servicebus.windows.net/ ", "https://strata-prod.servicebus.windows.net/")]
    public void Namespace_Parse_AcceptsNamesHostsAndUrls(string text, string expected) =>
        Assert.Equal(new Uri(expected), ServiceBusNamespace.Parse(text, "--service-bus"));

    [Theory]
    [InlineData("sb", "is not a Service Bus namespace")]
    [InlineData("1strata", "is not a Service Bus namespace")]
    [InlineData("strata_prod", "is not a Service Bus namespace")]
    [InlineData("http://strata-prod.servicebus.windows.net", "is not https://NAME.servicebus.windows.net")]
    [InlineData("https://strata-prod.servicebus.windows.net/strata-backups", "is not https://NAME.servicebus.windows.net")]
    [InlineData("Endpoint=sb://strata-prod.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0", "a connection string is not accepted")]
    public void Namespace_Parse_RefusesWhatIsNotANamespace(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ServiceBusNamespace.Parse(text, "--service-bus"));

        Assert.StartsWith("--service-bus: ", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }
}
