using System.Threading.Channels;
using Strata.Core.ControlPlane;
using Strata.Core.Messages;

namespace Strata.Adapters.Hosting;

/// <summary>Tuning of <see cref="LocalRunner"/>.</summary>
public sealed record LocalRunnerOptions
{
    /// <summary>
    /// Overrides of how often a timer function runs (real time), by name; by default each runs at its
    /// <see cref="TimerFunction.Period"/>, the cloud timer's cadence (schedule-tick every minute, retention hourly).
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> TimerPeriods { get; init; } = new Dictionary<string, TimeSpan>();

    /// <summary>Deliveries before a message is dead-lettered. Default 10, as Service Bus.</summary>
    public int MaxDeliveries { get; init; } = 10;

    /// <summary>First retry delay; doubles per delivery up to <see cref="MaxBackoff"/>. Default 1 s.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay. Default 1 minute.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages handled at once per queue. Default 2.</summary>
    public int Concurrency { get; init; } = 2;

    /// <summary>Where dead-lettered messages are written, one JSON file each.</summary>
    public required string DeadLetterFolder { get; init; }
}

/// <summary>
/// The control plane on one machine: the same functions as the Functions app, with in-process
/// timers and queues that keep Service Bus's semantics — a message whose handler throws is
/// redelivered with a growing delay and its delivery count raised, and dead-lettered (written to a
/// folder) after <see cref="LocalRunnerOptions.MaxDeliveries"/>; a message that can never be used is
/// dead-lettered at once with the reason. Idempotency comes from the functions themselves. Stopping
/// drains: timers stop, in-flight and queued messages are finished.
/// </summary>
public sealed class LocalRunner(ControlPlaneContext context, LocalRunnerOptions options, Action<string> log)
{
    private readonly Dictionary<string, Channel<InboundMessage>> _queues =
        ControlPlaneFunctions.Queue.ToDictionary(c => c.Queue, _ => Channel.CreateUnbounded<InboundMessage>());

    private int _pending;

    /// <summary>Messages enqueued or being handled.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Puts a message on a queue, as another system would.</summary>
    public void Enqueue(Envelope message)
    {
        var queue = Queues.For(message.Payload);
        if (!_queues.TryGetValue(queue, out var channel))
        {
            log($"{queue}: {message.Type} {message.Id} (no consumer runs locally in this version; not kept)");
            return;
        }

        Interlocked.Increment(ref _pending);
        channel.Writer.TryWrite(new InboundMessage(queue, MessageCodec.Serialize(message), message.Id));
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled, then drains and returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var workers = ControlPlaneFunctions.Queue.SelectMany(c => Enumerable.Range(0, options.Concurrency).Select(_ => WorkAsync(c))).ToList();
        await HostedTimers.RunAsync(context, options.TimerPeriods, (name, result) =>
        {
            Publish(name, result);
            return Task.CompletedTask;
        }, log, stop);

        // Drain: everything queued, and what it leads to, is finished before the queues close.
        log($"stopping: draining {Pending} message(s)");
        while (Pending > 0)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        foreach (var channel in _queues.Values)
        {
            channel.Writer.TryComplete();
        }

        await Task.WhenAll(workers);
        log("stopped");
    }

    private async Task WorkAsync(QueueFunction function)
    {
        var queue = function.Queue;
        await foreach (var message in _queues[queue].Reader.ReadAllAsync())
        {
            try
            {
                // In-flight work is never cancelled: stopping waits for it.
                var result = await function.HandleAsync(context, message, CancellationToken.None);
                Publish(queue, result);
                if (result.Rejection is { } rejection)
                {
                    await DeadLetterAsync(message, $"rejected: {rejection}");
                }

                Interlocked.Decrement(ref _pending);
            }
            catch (Exception e)
            {
                if (message.DeliveryCount >= options.MaxDeliveries)
                {
                    await DeadLetterAsync(message, e.Message);
                    Interlocked.Decrement(ref _pending);
                    continue;
                }

                var delay = TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, options.FirstBackoff.Ticks << Math.Min(20, message.DeliveryCount - 1)));
                log($"{queue}: message {message.MessageId} failed (delivery {message.DeliveryCount}): {e.Message}; redelivering in {delay.TotalSeconds:0.#} s");
                _ = RedeliverAsync(message with { DeliveryCount = message.DeliveryCount + 1 }, delay);
            }
        }
    }

    private async Task RedeliverAsync(InboundMessage message, TimeSpan delay)
    {
        await Task.Delay(delay, CancellationToken.None);
        _queues[message.Queue].Writer.TryWrite(message);
    }

    private async Task DeadLetterAsync(InboundMessage message, string reason)
    {
        Directory.CreateDirectory(options.DeadLetterFolder);
        var path = Path.Combine(options.DeadLetterFolder, $"{message.Queue}-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, message.Body, CancellationToken.None);
        log($"{message.Queue}: message {message.MessageId} dead-lettered after {message.DeliveryCount} deliveries ({reason}); kept at {path}");
    }

    private void Publish(string source, FunctionResult result)
    {
        foreach (var line in result.Logs)
        {
            log($"{source}: {line}");
        }

        foreach (var message in result.Messages)
        {
            Enqueue(message);
        }
    }
}
