using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>
/// Runs one message and everything it leads to, here and now, one message at a time, through the
/// same functions the queues feed (<see cref="ControlPlaneFunctions"/>): <c>strata backup create
/// --policy</c> is a backup request followed by its verification and its alerts. Messages for a
/// queue nothing here consumes (<c>strata-events</c>, for other systems) are returned, not lost.
/// </summary>
public static class InlinePipeline
{
    /// <summary>What the chain did.</summary>
    /// <param name="Handled">Each message handled, with its function's result, in order.</param>
    /// <param name="Unconsumed">Messages for queues without a consumer.</param>
    public sealed record Outcome(IReadOnlyList<(Envelope Message, FunctionResult Result)> Handled, IReadOnlyList<Envelope> Unconsumed);

    /// <summary>Handles <paramref name="first"/>, then every message it (and they) send, until none is left.</summary>
    public static async Task<Outcome> RunAsync(ControlPlaneContext context, Envelope first, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var pending = new Queue<Envelope>([first]);
        var handled = new List<(Envelope, FunctionResult)>();
        var unconsumed = new List<Envelope>();
        while (pending.TryDequeue(out var message))
        {
            var queue = Queues.For(message.Payload);
            if (ControlPlaneFunctions.ConsumerOf(queue) is not { } function)
            {
                unconsumed.Add(message);
                continue;
            }

            var result = await function.HandleAsync(context, new InboundMessage(queue, MessageCodec.Serialize(message), message.Id), cancellationToken);
            handled.Add((message, result));
            foreach (var line in result.Logs)
            {
                log?.Invoke($"{function.Name}: {line}");
            }

            foreach (var next in result.Messages)
            {
                pending.Enqueue(next);
            }
        }

        return new Outcome(handled, unconsumed);
    }
}
