using System.Collections.Concurrent;

namespace Strata.Sandbox.Http;

/// <summary>What a fault does to a request.</summary>
public enum FaultKind
{
    /// <summary>429 TooManyRequests with Retry-After.</summary>
    TooManyRequests,

    /// <summary>500 InternalError.</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable.</summary>
    ServiceUnavailable,

    /// <summary>Answers normally after a delay.</summary>
    Latency,

    /// <summary>Closes the connection without an answer.</summary>
    Abort,

    /// <summary>
    /// The API server restarts: this connection and every other is cut, and the port refuses
    /// connections for <see cref="FaultRule.Delay"/>; then it serves again, same port, data, CA and tokens.
    /// </summary>
    Restart,
}

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

/// <summary>The sandbox's fault injection: rules tried in order on every request.</summary>
public sealed class FaultInjection
{
    private readonly ConcurrentQueue<FaultRule> _rules = new();

    public FaultRule Add(FaultRule rule)
    {
        _rules.Enqueue(rule);
        return rule;
    }

    public void Clear() => _rules.Clear();

    internal FaultRule? Next(string verb, string? resource, bool continuation) =>
        _rules.FirstOrDefault(r => r.Matches(verb, resource, continuation) && r.TryConsume());
}
