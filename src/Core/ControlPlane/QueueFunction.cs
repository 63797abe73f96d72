namespace Strata.Core.ControlPlane;

/// <summary>A function triggered by a queue's messages.</summary>
/// <param name="Name">Its name (the Functions app's function, and what logs call it).</param>
/// <param name="Queue">The queue it consumes.</param>
/// <param name="Sends">The queues its results may go to (the Functions app's output bindings).</param>
/// <param name="HandleAsync">Handles one message; throws only for failures worth redelivering.</param>
public sealed record QueueFunction(
    string Name, string Queue, IReadOnlyList<string> Sends, Func<ControlPlaneContext, InboundMessage, CancellationToken, Task<FunctionResult>> HandleAsync);
