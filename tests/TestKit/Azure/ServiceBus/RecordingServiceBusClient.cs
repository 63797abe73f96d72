using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Strata.Core.ControlPlane;

namespace Strata.TestKit.Azure.ServiceBus;

/// <summary>
/// A Service Bus namespace on the SDK's own test seams — the protected constructors and virtual members
/// of <see cref="ServiceBusClient"/>, <see cref="ServiceBusSender"/> and <see cref="ServiceBusProcessor"/>,
/// as the Azure SDK's mocking guidance describes; no broker runs here. Senders keep what they send, by
/// queue (an unknown queue fails as the service does: <c>MessagingEntityNotFound</c>); processors deliver
/// the messages a test hands them through the handler the code under test registered, and report how
/// each was settled.
/// </summary>
public sealed class RecordingServiceBusClient : ServiceBusClient
{
    private readonly string _namespace;
    private readonly HashSet<string> _queues;

    /// <summary>A namespace with the five control-plane queues (or <paramref name="queues"/>).</summary>
    public RecordingServiceBusClient(string fullyQualifiedNamespace = "strata-test.servicebus.windows.net", params string[] queues)
    {
        _namespace = fullyQualifiedNamespace;
        _queues = new HashSet<string>(queues.Length > 0 ? queues : [Queues.Backups, Queues.Verifications, Queues.Restores, Queues.Alerts, Queues.Events], StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override string FullyQualifiedNamespace => _namespace;

    /// <summary>What was sent, by queue, in order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<ServiceBusMessage>> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>The processors created, by queue.</summary>
    public ConcurrentDictionary<string, RecordingProcessor> Processors { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, each send to a queue first asks it for an exception to throw (null: send).</summary>
    public Func<string, Exception?>? FailSend { get; set; }

    /// <summary>Senders created (one per queue is expected: they are kept for reuse).</summary>
    public int SendersCreated => _sendersCreated;

    /// <summary>Whether the client was disposed.</summary>
    public bool Disposed { get; private set; }

    private int _sendersCreated;

    /// <summary>The messages sent to <paramref name="queue"/>.</summary>
    public IReadOnlyList<ServiceBusMessage> SentTo(string queue) => Sent.TryGetValue(queue, out var messages) ? [.. messages] : [];

    /// <inheritdoc />
    public override ServiceBusSender CreateSender(string queueOrTopicName)
    {
        Interlocked.Increment(ref _sendersCreated);
        return new Sender(this, queueOrTopicName);
    }

    /// <inheritdoc />
    public override ServiceBusProcessor CreateProcessor(string queueName, ServiceBusProcessorOptions options) =>
        Processors[queueName] = new RecordingProcessor(_namespace, queueName, options);

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private void Accept(string queue, ServiceBusMessage message)
    {
        if (FailSend?.Invoke(queue) is { } failure)
        {
            throw failure;
        }

        if (!_queues.Contains(queue))
        {
            throw new ServiceBusException(
                $"The messaging entity 'sb://{_namespace}/{queue}' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions. TrackingId:0",
                ServiceBusFailureReason.MessagingEntityNotFound, queue);
        }

        Sent.GetOrAdd(queue, _ => new()).Enqueue(message);
    }

    private sealed class Sender(RecordingServiceBusClient client, string queue) : ServiceBusSender
    {
        public override string EntityPath => queue;

        public override string FullyQualifiedNamespace => client._namespace;

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            client.Accept(queue, message);
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
