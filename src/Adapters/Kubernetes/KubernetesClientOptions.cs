namespace Strata.Adapters.Kubernetes;

/// <summary>Tuning of <see cref="KubernetesClient"/>.</summary>
public sealed record KubernetesClientOptions
{
    /// <summary>Retries after the first attempt for transient failures (429, 5xx, timeouts, refused connections). Default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; doubles per retry, with jitter. Default 250 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest <c>Retry-After</c> honoured. Default 30 s.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt. Default 60 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Group-versions discovered at once. Default 8.</summary>
    public int DiscoveryParallelism { get; init; } = 8;

    /// <summary>How many times one list restarts after its continue token expired. Default 3.</summary>
    public int MaxListRestarts { get; init; } = 3;

    /// <summary>The User-Agent sent.</summary>
    public string UserAgent { get; init; } = "strata/" + (typeof(KubernetesClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
