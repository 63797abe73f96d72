namespace Strata.Core.ControlPlane;

/// <summary>A function triggered by a timer.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Schedule">When the Functions host fires it (NCRONTAB, six fields, UTC).</param>
/// <param name="Period">How often an in-process host (<c>strata run</c>, the container host) runs it: the same cadence.</param>
/// <param name="Sends">The queues its results may go to (the Functions app's output bindings).</param>
/// <param name="RunAsync">Runs it once.</param>
public sealed record TimerFunction(
    string Name, string Schedule, TimeSpan Period, IReadOnlyList<string> Sends, Func<ControlPlaneContext, CancellationToken, Task<FunctionResult>> RunAsync);
