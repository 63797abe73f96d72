namespace Strata.Core.Etcd;

/// <summary>A call to an etcd endpoint failed, or its TLS material could not be used; the message names the endpoint (or reference) and why.</summary>
public sealed class EtcdRequestException(string message, bool isTransient, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether trying again (or another member) may succeed: unreachable, deadline passed, unavailable — not a refused certificate.</summary>
    public bool IsTransient { get; } = isTransient;
}
