using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Strata.Adapters.Azure.ServiceBus;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;
using Strata.TestKit.Azure.ServiceBus;

namespace Strata.Adapters.Tests.Azure.ServiceBus;

/// <summary>What goes on a queue for an envelope, and what a refusal says — against the SDK's test seams.</summary>
public sealed class EnvelopeSenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 9, 30, 0, TimeSpan.Zero);
    private static readonly Envelope Request = new("upgrade-131", "ticket-42", Now, new BackupRequested("prod-weu", "nightly", Reason: "before upgrade"));
    private readonly RecordingServiceBusClient _bus = new();

    [Fact]
    public async Task Send_PutsTheEnvelopeOnItsQueue_WithIdCorrelationAndType()
    {
        await using var sender = new EnvelopeSender(_bus);

        await sender.SendAsync(Request);

        var message = Assert.Single(_bus.SentTo(Queues.Backups));
        Assert.Equal(("upgrade-131", "ticket-42", "BackupRequested", "application/json"), (message.MessageId, message.CorrelationId, message.Subject, message.ContentType));
        Assert.Equal(Request, MessageCodec.Parse(message.Body.ToString()).Message);
    }

    [Fact]
    public async Task Send_RoutesEachTypeToItsQueue_AndKeepsOneSenderPerQueue()
    {
        await using var sender = new EnvelopeSender(_bus);
        var alert = Request.FollowedBy("alert-1", Now, new AlertRaised(AlertSeverity.Warning, "backup-partial", "partial", "backup-partial/nightly/prod-weu"));

        await sender.SendAsync(Request);
        await sender.SendAsync(alert);
        await sender.SendAsync(alert with { Id = "alert-2" });

        Assert.Single(_bus.SentTo(Queues.Backups));
        Assert.Equal(["alert-1", "alert-2"], _bus.SentTo(Queues.Alerts).Select(m => m.MessageId));
        Assert.Equal("ticket-42", _bus.SentTo(Queues.Alerts)[0].CorrelationId);
        Assert.Equal(2, _bus.SendersCreated);
    }

    public static TheoryData<Exception, string, bool> Refusals => new()
    {
        { new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation. TrackingId:1"), "'Azure Service Bus Data Sender' role", false },
        { new AuthenticationFailedException("DefaultAzureCredential failed to retrieve a token from the included credentials."), "run 'az login'", false },
        { new ServiceBusException("The messaging entity could not be found. TrackingId:2", ServiceBusFailureReason.MessagingEntityNotFound), "no such queue", false },
        { new ServiceBusException("The request was terminated because the namespace is being throttled. TrackingId:3", ServiceBusFailureReason.ServiceBusy), "could not be reached or was busy", true },
        { new ServiceBusException("The queue has reached its maximum size. TrackingId:4", ServiceBusFailureReason.QuotaExceeded), "the queue is full", false },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Send_Refused_SaysWhatToDo_NamingQueueAndNamespace(Exception refusal, string advice, bool transient)
    {
        _bus.FailSend = _ => refusal;
        await using var sender = new EnvelopeSender(_bus);

        var error = await Assert.ThrowsAsync<ServiceBusRequestException>(() => sender.SendAsync(Request));

        Assert.StartsWith("sending BackupRequested upgrade-131 to queue strata-backups in strata-test.servicebus.windows.net failed: ", error.Message);
        Assert.Contains(advice, error.Message);
        Assert.DoesNotContain("TrackingId", error.Message);
        Assert.Equal(transient, error.IsTransient);
        Assert.Same(refusal, error.InnerException);
    }

    [Fact]
    public async Task Send_ToAQueueTheNamespaceLacks_IsTheServicesNotFound()
    {
        var bus = new RecordingServiceBusClient("strata-test.servicebus.windows.net", Queues.Alerts);
        await using var sender = new EnvelopeSender(bus);

        var error = await Assert.ThrowsAsync<ServiceBusRequestException>(() => sender.SendAsync(Request));

        Assert.Contains("there is no such queue in this namespace", error.Message);
    }

    [Fact]
    public async Task Send_Cancelled_IsCancellation_NotARefusal()
    {
        await using var sender = new EnvelopeSender(_bus);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.SendAsync(Request, cancelled.Token));
    }
}
