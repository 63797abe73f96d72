namespace Strata.Adapters.Kubernetes;

/// <summary>Tuning of <see cref="KubernetesClient"/>.</summary>
public sealed record KubernetesClientOptions
{
    /// <summary>
    /// Retries after the first attempt when the server answers with a transient error (429, 5xx
    /// but 501), and when a server this client has never reached does not answer. Default 4.
    /// </summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>
    /// How long a server this client has already reached may stay unreachable (connection refused
    /// or reset, no answer within <see cref="RequestTimeout"/>) before a call fails: an API server
    /// restart or a control-plane upgrade costs time, not objects. Retries back off up to
    /// <see cref="MaxDelay"/>; a list resumes from its continue token. Default 120 s.
    /// </summary>
    public TimeSpan OutageBudget { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>First backoff delay; doubles per retry, with jitter. Default 250 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest backoff delay between two attempts. Default 5 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest <c>Retry-After</c> honoured. Default 30 s.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt, reading the response included. Default 60 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of opening one connection (TCP and TLS). Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Group-versions discovered at once. Default 8.</summary>
    public int DiscoveryParallelism { get; init; } = 8;

    /// <summary>How many times one list restarts after its continue token expired. Default 3.</summary>
    public int MaxListRestarts { get; init; } = 3;

    /// <summary>The User-Agent sent.</summary>
    public string UserAgent { get; init; } = "strata/" + (typeof(KubernetesClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
