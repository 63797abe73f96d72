namespace Strata.Core.Etcd;

/// <summary>What one configured endpoint answered to <c>Maintenance.Status</c>: its status, or why it did not answer.</summary>
/// <param name="Endpoint">The endpoint, as configured.</param>
/// <param name="Status">Its status; null when it did not answer.</param>
/// <param name="Failure">Why it did not answer (the call's error, endpoint named); null when it answered.</param>
public sealed record EtcdStatusReading(Uri Endpoint, EtcdMemberStatus? Status, string? Failure)
{
    /// <summary>The endpoint answered with <paramref name="status"/>.</summary>
    public static EtcdStatusReading Answered(Uri endpoint, EtcdMemberStatus status) => new(endpoint, status, null);

    /// <summary>The endpoint's call failed with <paramref name="failure"/>.</summary>
    public static EtcdStatusReading Failed(Uri endpoint, string failure) => new(endpoint, null, failure);

    /// <summary>The endpoint as people read it: scheme, host and port (<c>https://10.0.0.11:2379</c>).</summary>
    public string Where => EtcdEndpointText.Describe(Endpoint);
}
