namespace Strata.Core.Volumes;

/// <summary>One backup hook that ran in a pod around a snapshot (from the policy or from Velero's pod annotations), and how it ended.</summary>
public sealed record HookRun
{
    /// <summary><c>pre</c> or <c>post</c>.</summary>
    public required HookPhase Phase { get; init; }

    /// <summary>Where the hook was defined: <c>policy hook NAME</c>, or <c>annotation pre.hook.backup.velero.io/command</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The pod (<c>ns/name</c>).</summary>
    public required string Pod { get; init; }

    /// <summary>The container it ran in.</summary>
    public string? Container { get; init; }

    /// <summary>The command, as exec ran it.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>How it ended.</summary>
    public required HookOutcome Outcome { get; init; }

    /// <summary>The exit code, when it ran to the end.</summary>
    public int? ExitCode { get; init; }

    /// <summary>What its <c>onError</c> said to do when it failed.</summary>
    public HookErrorMode OnError { get; init; } = HookErrorMode.Fail;

    /// <summary>How long it ran.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Why it failed (its exit code, the exec error, the timeout), never its output; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// The last lines of what a failed hook wrote to stderr (<c> | </c> between lines, at most 300 characters); null when
    /// it wrote none or succeeded. Kept here, in the manifest, only: a problem's message — which alerts carry to chat and
    /// pagers — says where it is instead, since a command's output may hold what should not travel (a password it echoed).
    /// </summary>
    public string? StderrTail { get; init; }
}
