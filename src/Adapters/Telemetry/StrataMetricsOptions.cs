namespace Strata.Adapters.Telemetry;

/// <summary>How often <see cref="StrataMetrics"/> reads the run history.</summary>
public sealed record StrataMetricsOptions
{
    /// <summary>
    /// How old a reading may be before a scrape or an export reads the history again. Default 30 s: fresher than any
    /// sensible scrape interval needs, and a history read (every backup and drill record) at most twice a minute however many
    /// scrapers there are. The Functions app uses the freshness timer's 5 minutes: it judges no more often either.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a scrape waits for a history read before it answers with the previous reading (the read goes on). Default 10 s.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one history read may take. At this deadline its cancellation token is cancelled and the read is abandoned
    /// as failed (the next one starts after <see cref="MaxAge"/>), so a read that hangs cannot stop the metrics for good.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan ReadDeadline { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The meter's name, which the exporting provider subscribes to (<c>AddMeter</c>); null (the default) for one of this
    /// instance's own (<see cref="StrataMetrics.MeterPrefix"/> and a number), so that a provider hears only its instance.
    /// </summary>
    public string? MeterName { get; init; }

    /// <summary>
    /// What measures <see cref="MaxAge"/> and runs the waits and deadlines (<see cref="ReadTimeout"/>, <see cref="ReadDeadline"/>):
    /// elapsed real time (default <see cref="TimeProvider.System"/>), not the control plane's clock.
    /// </summary>
    public TimeProvider Stopwatch { get; init; } = TimeProvider.System;
}
