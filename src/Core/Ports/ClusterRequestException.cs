namespace Strata.Core.Ports;

/// <summary>
/// A request to the cluster failed. Adapters raise subclasses that keep the server's details;
/// Core reads only what is here.
/// </summary>
public class ClusterRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterRequestException(string message, int statusCode, string? reason, bool isTransient, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Reason = reason;
        IsTransient = isTransient;
    }

    /// <summary>HTTP status, or 0 when no response arrived.</summary>
    public int StatusCode { get; }

    /// <summary>The API's reason, e.g. <c>Forbidden</c>, <c>NotFound</c>, <c>Expired</c>.</summary>
    public string? Reason { get; }

    /// <summary>Whether trying again later may succeed.</summary>
    public bool IsTransient { get; }
}
