using System.Collections.Concurrent;

namespace Strata.Sandbox.Http;

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
