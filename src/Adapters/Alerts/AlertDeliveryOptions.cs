namespace Strata.Adapters.Alerts;

/// <summary>How <see cref="HttpAlertChannels"/> delivers: attempts, backoff, timeouts.</summary>
public sealed record AlertDeliveryOptions
{
    /// <summary>Requests per delivery, the first included. Default 4.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry's delay; it doubles per attempt, with jitter, up to <see cref="MaxRetryDelay"/>. Default 2 s.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between attempts from the backoff. Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest <c>Retry-After</c> honoured; a service that asks for a longer wait is not retried (the delivery fails,
    /// the next alert of the incident tries again) rather than holding the dispatcher. Default 2 minutes.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one request may take. Default 15 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Makes the HTTP handler (a proxy, or a test's trust of its own CA); default a <see cref="SocketsHttpHandler"/> with the system's trust.</summary>
    public Func<HttpMessageHandler>? Transport { get; init; }
}
