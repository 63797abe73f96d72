using Azure.Messaging.ServiceBus;

namespace Strata.TestKit.Azure.ServiceBus;

/// <summary>
/// A processor that receives nothing by itself: <see cref="DeliverAsync"/> hands it a message, which goes
/// through the <c>ProcessMessageAsync</c> handler the code under test registered (the SDK's
/// <c>OnProcessMessageAsync</c> seam), and returns how the handler settled it.
/// </summary>
public sealed class RecordingProcessor(string fullyQualifiedNamespace, string queue, ServiceBusProcessorOptions options) : ServiceBusProcessor
{
    private int _sequence;

    /// <summary>The options the processor was created with.</summary>
    public ServiceBusProcessorOptions Options { get; } = options;

    /// <inheritdoc />
    public override string EntityPath => queue;

    /// <inheritdoc />
    public override string FullyQualifiedNamespace => fullyQualifiedNamespace;

    /// <summary>Between start and stop.</summary>
    public bool Started { get; private set; }

    /// <summary>Whether it was stopped after being started.</summary>
    public bool Stopped { get; private set; }

    /// <inheritdoc />
    public override bool IsProcessing => Started;

    /// <inheritdoc />
    public override Task StartProcessingAsync(CancellationToken cancellationToken = default)
    {
        Started = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task StopProcessingAsync(CancellationToken cancellationToken = default)
    {
        Stopped = Started;
        Started = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Delivers a message with <paramref name="body"/> (delivery <paramref name="deliveryCount"/>) and returns its settlement.</summary>
    public async Task<Settlement> DeliverAsync(string body, string? messageId = null, int deliveryCount = 1)
    {
        var message = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromString(body),
            messageId: messageId ?? $"message-{Interlocked.Increment(ref _sequence)}",
            deliveryCount: deliveryCount,
            contentType: "application/json");
        var receiver = new SettlingReceiver();
        await OnProcessMessageAsync(new ProcessMessageEventArgs(message, receiver, CancellationToken.None));
        return receiver.Settlement ?? new Settlement(SettlementKind.None);
    }

    /// <summary>Reports <paramref name="error"/> as the processor does when receiving fails (e.g. the identity may not receive).</summary>
    public Task RaiseErrorAsync(Exception error) =>
        OnProcessErrorAsync(new ProcessErrorEventArgs(error, ServiceBusErrorSource.Receive, FullyQualifiedNamespace, queue, CancellationToken.None));

    private sealed class SettlingReceiver : ServiceBusReceiver
    {
        public Settlement? Settlement { get; private set; }

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
            Settle(new Settlement(SettlementKind.Completed));

        public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
            Settle(new Settlement(SettlementKind.Abandoned));

        public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default) =>
            Settle(new Settlement(SettlementKind.DeadLettered, deadLetterReason, deadLetterErrorDescription));

        private Task Settle(Settlement settlement)
        {
            // The service refuses a second settlement of the same lock: so does this.
            if (Settlement is not null)
            {
                throw new ServiceBusException("The lock supplied is invalid.", ServiceBusFailureReason.MessageLockLost);
            }

            Settlement = settlement;
            return Task.CompletedTask;
        }
    }
}
