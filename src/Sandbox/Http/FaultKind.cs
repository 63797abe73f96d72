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
