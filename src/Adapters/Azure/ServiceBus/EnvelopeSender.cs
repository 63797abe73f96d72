using System.Collections.Concurrent;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>
/// Sends envelopes to the control plane's queues, one <see cref="ServiceBusSender"/> per queue, kept for
/// reuse. A retried send keeps the same message id. Failures that survive the client's retries become a
/// <see cref="ServiceBusRequestException"/> that says what to do (sign in, grant a role, create the
/// queue) — never with a token in it.
/// </summary>
public sealed class EnvelopeSender(ServiceBusClient client) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    /// <summary>The namespace, e.g. <c>strata-prod.servicebus.windows.net</c>.</summary>
    public string Namespace => client.FullyQualifiedNamespace;

    /// <summary>Sends <paramref name="envelope"/> to the queue its type goes to (<see cref="Queues.For"/>).</summary>
    public Task SendAsync(Envelope envelope, CancellationToken cancellationToken = default) =>
        SendAsync(Queues.For(envelope.Payload), envelope, cancellationToken);

    /// <summary>Sends <paramref name="envelope"/> to <paramref name="queue"/>.</summary>
    public async Task SendAsync(string queue, Envelope envelope, CancellationToken cancellationToken = default)
    {
        var sender = _senders.GetOrAdd(queue, client.CreateSender);
        try
        {
            await sender.SendMessageAsync(EnvelopeMessages.ToMessage(envelope), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Explain(e) is { } reason)
        {
            throw new ServiceBusRequestException($"sending {envelope.Type} {envelope.Id} to queue {queue} in {Namespace} failed: {reason}",
                e is ServiceBusException { IsTransient: true }, e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }

        _senders.Clear();
    }

    /// <summary>
    /// What a failure means for the person who sent (or, with <paramref name="receiving"/>, received), or null for
    /// failures that are not the service's answer.
    /// </summary>
    internal static string? Explain(Exception e, bool receiving = false) => e switch
    {
        AuthenticationFailedException => $"could not sign in to Entra ID (run 'az login', or check the managed identity): {FirstSentence(e.Message)}",
        UnauthorizedAccessException => receiving
            ? "the identity may not receive here: it needs the 'Azure Service Bus Data Receiver' role on the queue or namespace"
            : "the identity may not send here: it needs the 'Azure Service Bus Data Sender' role on the queue or namespace",
        ServiceBusException { Reason: ServiceBusFailureReason.MessagingEntityNotFound } => "there is no such queue in this namespace",
        ServiceBusException { Reason: ServiceBusFailureReason.MessagingEntityDisabled } => "the queue is disabled",
        ServiceBusException { Reason: ServiceBusFailureReason.QuotaExceeded } => "the queue is full (its size quota is exceeded)",
        ServiceBusException { Reason: ServiceBusFailureReason.MessageSizeExceeded } => "the message is larger than the queue accepts",
        ServiceBusException { IsTransient: true } sb => $"the namespace could not be reached or was busy, after retries ({sb.Reason}: {FirstSentence(sb.Message)})",
        ServiceBusException sb => $"{sb.Reason}: {FirstSentence(sb.Message)}",
        _ => null,
    };

    // Service Bus messages end with tracking ids and a link; the first sentence says it.
    private static string FirstSentence(string message) =>
        message.Split(". ", 2)[0].Split('\n', 2)[0].TrimEnd('.').Trim();
}
