using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// Runs a hook through <c>pods/exec</c> under its timeout and records how it ended. A timed-out exec is abandoned, not
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
            return exit.Succeeded ? run with { Outcome = HookOutcome.Succeeded } : run with { Error = Describe(exit) };
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

    /// <summary>The exit code (or why there is none) and the last lines of stderr.</summary>
    private static string Describe(CommandExit exit)
    {
        var lines = exit.Stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(3).ToList();
        var tail = string.Join(" | ", lines);
        if (tail.Length > StderrTail)
        {
            tail = "…" + tail[^StderrTail..];
        }

        var head = exit.Failure is { } failure ? failure : $"exited {exit.ExitCode}";
        return tail.Length == 0 ? head : $"{head}: {tail}";
    }
}
