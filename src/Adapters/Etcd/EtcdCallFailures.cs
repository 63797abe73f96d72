using System.Security.Authentication;
using Grpc.Core;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Turns a failed gRPC call into <see cref="EtcdRequestException"/>: the endpoint, what went wrong in words, and
/// whether another try (or another member) may succeed — not after a certificate was refused, either way.
/// </summary>
internal static class EtcdCallFailures
{
    /// <summary>
    /// The exception for <paramref name="failure"/> on <paramref name="endpoint"/>; <paramref name="timedOut"/> when
    /// Strata's own deadline (the dial timeout) cancelled the call.
    /// </summary>
    public static EtcdRequestException Map(RpcException failure, Uri endpoint, EtcdServerCheck check, EtcdTlsMaterial material, TimeSpan? timedOut)
    {
        var at = $"etcd at {endpoint.GetLeftPart(UriPartial.Authority)}";
        if (timedOut is { } limit)
        {
            return new EtcdRequestException($"{at} did not answer within {limit.TotalSeconds:0.#} s", isTransient: true, failure);
        }

        var detail = Detail(failure);
        if (Find<AuthenticationException>(failure) is { } tls)
        {
            if (check.Rejection is { } rejection)
            {
                return new EtcdRequestException($"{at} refused over TLS: {rejection}", isTransient: false, failure);
            }

            var hint = material.Client is null
                ? "; if the member requires a client certificate, configure clientCertificate and clientKey"
                : $"; the member may not accept the client certificate {material.Access.ClientCertificate}";
            return new EtcdRequestException($"{at}: the TLS handshake failed ({tls.Message}{Inner(tls)}){hint}", isTransient: false, failure);
        }

        return failure.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted =>
                new EtcdRequestException($"{at} did not answer: {detail}{ClientCertificateHint(material, detail)}", isTransient: true, failure),
            StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
                new EtcdRequestException($"{at} refused the call ({failure.StatusCode}): {detail}; Strata authenticates with a client certificate, not etcd users", isTransient: false, failure),
            _ => new EtcdRequestException($"{at} answered {failure.StatusCode}: {detail}", isTransient: false, failure),
        };
    }

    private static string Detail(RpcException failure)
    {
        var detail = failure.Status.Detail;
        return failure.Status.DebugException is { } debug && !detail.Contains(debug.Message, StringComparison.Ordinal)
            ? $"{detail} ({debug.Message}{Inner(debug)})"
            : detail;
    }

    private static string Inner(Exception exception) =>
        exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal) ? $": {inner.Message}" : "";

    // TLS 1.3 lets the client finish its handshake before the server checks the client's certificate, so a refusal
    // arrives as a closed connection or an alert on the first read, not as a failed handshake.
    private static string ClientCertificateHint(EtcdTlsMaterial material, string detail) =>
        material.Client is null && material.Access.Endpoints.Any(e => e.Scheme == "https")
            && (detail.Contains("alert", StringComparison.OrdinalIgnoreCase) || detail.Contains("certificate", StringComparison.OrdinalIgnoreCase))
            ? "; the member may require a client certificate: configure clientCertificate and clientKey"
            : "";

    private static T? Find<T>(Exception failure) where T : Exception
    {
        for (Exception? e = failure is RpcException rpc ? rpc.Status.DebugException : failure; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
