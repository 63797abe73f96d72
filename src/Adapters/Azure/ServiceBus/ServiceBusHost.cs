using Azure.Messaging.ServiceBus;
using Strata.Adapters.Hosting;
using Strata.Core.ControlPlane;

namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>
/// The control plane as a container (Azure Container Apps, AKS) instead of a Functions app: the same
/// workers, each fed by a <see cref="ServiceBusProcessor"/> on its queue, and the same timers, in one
/// process. A message is completed when its handler succeeded and its follow-up messages were sent;
/// abandoned (redelivered, dead-lettered by the queue after its <c>MaxDeliveryCount</c>) when the handler
/// failed; dead-lettered at once, with the reason, when it can never be used (malformed, unknown type,
/// naming a cluster that does not exist — also recorded and alerted). Replicas may run side by side: ids
/// are derived and backups hold leases, so a message or timer handled twice does its work once.
/// </summary>
public sealed class ServiceBusHost(ControlPlaneContext context, ServiceBusClient client, ServiceBusHostOptions options, Action<string> log)
{
    /// <summary>The dead-letter reason of a message that can never be used (the description says why).</summary>
    public const string RejectedReason = "MessageRejected";

    // Dead-letter descriptions are message properties; keep them well inside the service's limits.
    private const int MaxDescription = 1024;

    /// <summary>Runs until <paramref name="stop"/> is cancelled; then the timers stop and messages in flight are finished.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await using var sender = new EnvelopeSender(client);
        var processors = new List<ServiceBusProcessor>();
        try
        {
            foreach (var function in ControlPlaneFunctions.Queue)
            {
                var processor = client.CreateProcessor(function.Queue, new ServiceBusProcessorOptions
                {
                    ReceiveMode = ServiceBusReceiveMode.PeekLock,
                    AutoCompleteMessages = false,
                    MaxConcurrentCalls = options.MaxConcurrentCalls,
                    MaxAutoLockRenewalDuration = options.MaxAutoLockRenewalDuration,
                });
                processor.ProcessMessageAsync += args => HandleAsync(function, args, sender);
                processor.ProcessErrorAsync += args =>
                {
                    log($"{args.EntityPath}: {args.ErrorSource}: {EnvelopeSender.Explain(args.Exception, receiving: true) ?? args.Exception.Message}");
                    return Task.CompletedTask;
                };
                processors.Add(processor);
                await processor.StartProcessingAsync(stop);
            }

            log($"listening on {string.Join(", ", ControlPlaneFunctions.Queue.Select(f => f.Queue))} in {client.FullyQualifiedNamespace}");
            await HostedTimers.RunAsync(context, options.TimerPeriods, (name, result) => PublishAsync(name, result, sender), log, stop);
            log("stopping: finishing the messages in flight");
        }
        finally
        {
            foreach (var processor in processors)
            {
                // Waits for the handlers that are running; receives nothing new.
                await processor.StopProcessingAsync(CancellationToken.None);
                await processor.DisposeAsync();
            }
        }

        log("stopped");
    }

    private async Task HandleAsync(QueueFunction function, ProcessMessageEventArgs args, EnvelopeSender sender)
    {
        var message = EnvelopeMessages.ToInbound(function.Queue, args.Message);
        var what = $"{function.Queue}: message {message.MessageId} (delivery {message.DeliveryCount})";
        FunctionResult result;
        try
        {
            // In-flight work is not cancelled when the host stops: StopProcessingAsync waits for it.
            result = await function.HandleAsync(context, message, CancellationToken.None);

            // Follow-ups go out before the message is settled: at least once, and their ids are derived.
            await PublishAsync(function.Queue, result, sender);
        }
        catch (Exception e)
        {
            log($"{what} failed: {e.Message}; abandoned, the queue redelivers it");
            await SettleAsync(what, () => args.AbandonMessageAsync(args.Message));
            return;
        }

        if (result.Rejection is { } rejection)
        {
            var description = rejection.Length > MaxDescription ? rejection[..MaxDescription] : rejection;
            await SettleAsync(what, () => args.DeadLetterMessageAsync(args.Message, RejectedReason, description));
            log($"{what} dead-lettered ({RejectedReason}): {description}");
            return;
        }

        await SettleAsync(what, () => args.CompleteMessageAsync(args.Message));
    }

    private async Task PublishAsync(string source, FunctionResult result, EnvelopeSender sender)
    {
        foreach (var line in result.Logs)
        {
            log($"{source}: {line}");
        }

        foreach (var message in result.Messages)
        {
            await sender.SendAsync(message);
        }
    }

    /// <summary>A settlement that fails (the lock was lost) is logged: the queue redelivers the message, and handling it again is safe.</summary>
    private async Task SettleAsync(string what, Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (ServiceBusException e)
        {
            log($"{what}: could not be settled ({e.Reason}); the queue will deliver it again");
        }
    }
}
