using Strata.Core.ControlPlane;

namespace Strata.Adapters.Hosting;

/// <summary>
/// Runs the control plane's timer functions inside a long-running process (<c>strata run</c>, the
/// container host) until stopped: each at its period, the first run at once. A run that fails is
/// logged and tried again at the next period, as the Functions host's timer would.
/// </summary>
public static class HostedTimers
{
    /// <summary>Runs every timer of <see cref="ControlPlaneFunctions.Timer"/>; returns when <paramref name="stop"/> is cancelled.</summary>
    /// <param name="context">The control plane.</param>
    /// <param name="periods">Overrides of a timer's period, by function name (tests tick fast).</param>
    /// <param name="publish">Delivers what a run produced (its messages and logs), named after the function.</param>
    /// <param name="log">Where failures are written.</param>
    /// <param name="stop">Stops the timers.</param>
    public static Task RunAsync(
        ControlPlaneContext context, IReadOnlyDictionary<string, TimeSpan> periods, Func<string, FunctionResult, Task> publish, Action<string> log, CancellationToken stop) =>
        Task.WhenAll(ControlPlaneFunctions.Timer.Select(timer => LoopAsync(context, timer, periods.GetValueOrDefault(timer.Name, timer.Period), publish, log, stop)));

    private static async Task LoopAsync(
        ControlPlaneContext context, TimerFunction timer, TimeSpan period, Func<string, FunctionResult, Task> publish, Action<string> log, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await publish(timer.Name, await timer.RunAsync(context, stop));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log($"{timer.Name} failed: {e.Message} (next run in {period})");
            }

            try
            {
                await Task.Delay(period, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
