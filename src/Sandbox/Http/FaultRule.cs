namespace Strata.Sandbox.Http;

/// <summary>One fault: which requests it hits, what it does, and how many times.</summary>
public sealed class FaultRule
{
    /// <summary>Verb (<c>get</c>, <c>list</c>, <c>create</c>, ...) or null for any.</summary>
    public string? Verb { get; init; }

    /// <summary>Resource plural or null for any (discovery included).</summary>
    public string? Resource { get; init; }

    /// <summary>Only the continuation pages of a list (requests with a continue token).</summary>
    public bool OnlyContinuations { get; init; }

    public FaultKind Kind { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>How long <see cref="FaultKind.Latency"/> delays, or <see cref="FaultKind.Restart"/> keeps the server down.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>How many requests it hits; -1 for every one.</summary>
    public int Times { get; init; } = 1;

    private int _hits;

    /// <summary>Requests this rule has hit so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    internal bool Matches(string verb, string? resource, bool continuation) =>
        (Verb is null || Verb == verb) && (Resource is null || Resource == resource) && (!OnlyContinuations || continuation);

    internal bool TryConsume()
    {
        if (Times < 0)
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        var hit = Interlocked.Increment(ref _hits);
        return hit <= Times;
    }
}
