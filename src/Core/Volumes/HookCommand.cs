namespace Strata.Core.Volumes;

/// <summary>One command of a policy hook's <c>pre</c> or <c>post</c> list: run through <c>pods/exec</c>, no shell.</summary>
/// <param name="Command">The program and its arguments.</param>
/// <param name="Timeout">How long it may run; null for the default (<see cref="DefaultTimeout"/>, as Velero's).</param>
/// <param name="OnError">What a failure does to the snapshots.</param>
public sealed record HookCommand(IReadOnlyList<string> Command, TimeSpan? Timeout = null, HookErrorMode OnError = HookErrorMode.Fail)
{
    /// <summary>Velero's default hook timeout, for pre and post hooks alike.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The timeout that applies.</summary>
    public TimeSpan EffectiveTimeout => Timeout ?? DefaultTimeout;
}
