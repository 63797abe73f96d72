namespace Strata.Core.Volumes;

/// <summary>One hook command to run in one pod: from the policy or from the pod's Velero annotations.</summary>
/// <param name="Phase">Pre or post.</param>
/// <param name="Source">Where it was defined (<see cref="HookRun.Source"/>).</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Container">The container it runs in.</param>
/// <param name="Command">The program and its arguments.</param>
/// <param name="Timeout">How long it may run.</param>
/// <param name="OnError">What its failure does.</param>
/// <param name="Invalid">Why it cannot run (a malformed annotation); it then counts as failed, without being run.</param>
internal sealed record PodHook(
    HookPhase Phase, string Source, string Namespace, string Pod, string? Container, IReadOnlyList<string> Command, TimeSpan Timeout, HookErrorMode OnError, string? Invalid = null)
{
    /// <summary>For messages: <c>pre hook (policy hook flush-web) in container web of pod shop/web-0</c>.</summary>
    public string Describe() =>
        $"{(Phase == HookPhase.Pre ? "pre" : "post")} hook ({Source}) in {(Container is { } container ? $"container {container} of " : "")}pod {Namespace}/{Pod}";
}
