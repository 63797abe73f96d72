using Strata.Core.Kubernetes;
using Strata.Core.Runs;

namespace Strata.Core.Drills;

/// <summary>An assertion a drill is waiting for, with what it saw last and when it first held.</summary>
internal sealed class WatchedAssertion(string what, bool readiness, ApiResource? resource, string? ns, string name, Func<KubeObject?, AssertionReading> read)
{
    public string What { get; } = what;

    public bool Readiness { get; } = readiness;

    public ApiResource? Resource { get; } = resource;

    public string? Namespace { get; } = ns;

    public string Name { get; } = name;

    public AssertionState State { get; private set; }

    public string? LastSeen { get; private set; }

    public double? Seconds { get; private set; }

    public bool Settled => State != AssertionState.Pending;

    /// <summary>An assertion that cannot hold from the start (a type the target does not serve).</summary>
    public static WatchedAssertion Impossible(string what, string why)
    {
        var watched = new WatchedAssertion(what, false, null, null, "", _ => AssertionReading.Failed(why));
        watched.Record(AssertionReading.Failed(why), 0);
        return watched;
    }

    public AssertionReading Read(KubeObject? obj) => read(obj);

    /// <summary>Records a look taken <paramref name="seconds"/> into the drill; the first time it holds is kept.</summary>
    public void Record(AssertionReading reading, double seconds)
    {
        LastSeen = reading.Seen;
        State = reading.State;
        if (reading.State == AssertionState.Met)
        {
            Seconds ??= seconds;
        }
    }

    public DrillAssertionResult ToResult() => new(What, State == AssertionState.Met, Seconds, LastSeen, Readiness);
}
