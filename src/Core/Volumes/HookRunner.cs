using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// Runs a hook through <c>pods/exec</c> under its timeout and records how it ended — its error (exit code, exec failure,
/// timeout) apart from the tail of its stderr, which stays in the manifest. A timed-out exec is abandoned, not
/// stopped: the exec API has no way to end a command, so it may still be running in the container — the record says so.
/// </summary>
internal sealed class HookRunner(IPodExec exec, TimeProvider time)
{
    private const int StderrTail = 300;

    public async Task<HookRun> RunAsync(PodHook hook, CancellationToken cancellationToken)
    {
        var run = new HookRun
        {
            Phase = hook.Phase,
            Source = hook.Source,
            Pod = $"{hook.Namespace}/{hook.Pod}",
            Container = hook.Container,
            Command = hook.Command,
            OnError = hook.OnError,
            Outcome = HookOutcome.Failed,
        };
        if (hook.Invalid is { } invalid)
        {
            return run with { Error = invalid };
        }

        var started = time.GetUtcNow();
        using var timeout = new CancellationTokenSource(hook.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var exit = await exec.ExecAsync(new PodCommand(hook.Namespace, hook.Pod, hook.Container, hook.Command), new CommandStreams(StderrLimit: 4096), linked.Token);
            run = run with { Duration = time.GetUtcNow() - started, ExitCode = exit.ExitCode };
            return exit.Succeeded ? run with { Outcome = HookOutcome.Succeeded } : run with { Error = exit.Failure ?? $"exited {exit.ExitCode}", StderrTail = Tail(exit.Stderr) };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return run with
            {
                Outcome = HookOutcome.TimedOut,
                Duration = time.GetUtcNow() - started,
                Error = $"did not end within {GoDuration.Format(hook.Timeout)}; Strata closed its exec session, but exec cannot stop a command: it may still be running in the container",
            };
        }
        catch (Ports.ClusterRequestException e)
        {
            return run with { Duration = time.GetUtcNow() - started, Error = $"exec failed: {e.Message}" };
        }
    }

    /// <summary>The last lines of stderr, for the manifest only (<see cref="HookRun.StderrTail"/>); null when there are none.</summary>
    private static string? Tail(string stderr)
    {
        var lines = stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3).ToList();
        var tail = string.Join(" | ", lines);
        return tail.Length == 0 ? null : tail.Length > StderrTail ? "…" + tail[^StderrTail..] : tail;
    }
}
