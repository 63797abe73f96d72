namespace Strata.Adapters.Azure.ServiceBus;

/// <summary>Tuning of <see cref="ServiceBusHost"/>.</summary>
public sealed record ServiceBusHostOptions
{
    /// <summary>Messages handled at once per queue. Default 2: a backup streams a whole cluster, and a container has few cores.</summary>
    public int MaxConcurrentCalls { get; init; } = 2;

    /// <summary>
    /// How long a message's lock is renewed while its handler runs. Default 30 minutes, the Functions app's
    /// timeout: a backup of a large cluster takes minutes, and a lock that lapses mid-backup would let a
    /// second replica start the same backup (the lease would stop it, at the cost of a skipped record).
    /// </summary>
    public TimeSpan MaxAutoLockRenewalDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Overrides of how often a timer function runs, by name (default: each function's own period).</summary>
    public IReadOnlyDictionary<string, TimeSpan> TimerPeriods { get; init; } = new Dictionary<string, TimeSpan>();
}
