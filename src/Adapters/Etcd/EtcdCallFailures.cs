using System.Security.Authentication;
using System.Text.RegularExpressions;
using Grpc.Core;
using Strata.Core.Etcd;

namespace Strata.Adapters.Etcd;

/// <summary>
/// Turns a failed gRPC call into <see cref="EtcdRequestException"/>: the endpoint, what went wrong in words, and
/// whether another try (or another member) may succeed — not after a certificate was refused, either way.
/// </summary>
internal static partial class EtcdCallFailures
{
    /// <summary>
    /// The exception for <paramref name="failure"/> on <paramref name="endpoint"/>; <paramref name="timedOut"/> when
    /// Strata's own deadline (the dial timeout) cancelled the call; <paramref name="probedAlert"/> the TLS alert
    /// <see cref="EtcdTlsProbe"/> found, when the call's own error lost it.
    /// </summary>
    public static EtcdRequestException Map(
        RpcException failure, Uri endpoint, EtcdServerCheck check, EtcdTlsMaterial material, TimeSpan? timedOut, string? probedAlert = null)
    {
        var at = $"etcd at {endpoint.GetLeftPart(UriPartial.Authority)}";
        if (timedOut is { } limit)
        {
            return new EtcdRequestException($"{at} did not answer within {limit.TotalSeconds:0.#} s", isTransient: true, failure);
        }

        if (check.Rejection is { } rejection && Find<AuthenticationException>(failure) is not null)
        {
            return new EtcdRequestException($"{at} refused over TLS: {rejection}", isTransient: false, failure);
        }

        // TLS 1.3 lets the client finish its handshake before the server checks the client's certificate, so the
        // server's refusal arrives as an alert on the first read rather than as a failed handshake.
        if ((AlertIn(failure.Status.DebugException) ?? probedAlert) is { } alert)
        {
            var why = material.Client is null
                ? "it requires a client certificate and none is configured: set clientCertificate and clientKey"
                : $"it does not accept the client certificate {material.Access.ClientCertificate} (not issued by a CA in its --trusted-ca-file, expired, or not for client authentication)";
            return new EtcdRequestException($"{at} refused the TLS connection (alert: {alert}): {why}", isTransient: false, failure);
        }

        if (Find<AuthenticationException>(failure) is { } tls)
        {
            return new EtcdRequestException($"{at}: the TLS handshake failed ({tls.Message}{Inner(tls)}); does it serve TLS on this port?", isTransient: false, failure);
        }

        var detail = Detail(failure);
        return failure.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted =>
                new EtcdRequestException($"{at} did not answer: {detail}", isTransient: true, failure),
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

    /// <summary>
    /// Whether a TLS connection may have been refused after the handshake (see <see cref="EtcdTlsProbe"/>): TLS, the
    /// server's certificate accepted, no alert or handshake error in sight, and the connection gone.
    /// </summary>
    public static bool MayHideAlert(RpcException failure, Uri endpoint, EtcdServerCheck check) =>
        endpoint.Scheme == "https" && check.Accepted && failure.StatusCode == StatusCode.Unavailable
        && AlertIn(failure.Status.DebugException) is null && Find<AuthenticationException>(failure) is null;

    /// <summary>The alert a TLS server sent to refuse the connection (<c>bad certificate</c>, <c>certificate required</c>), from OpenSSL's or .NET's message.</summary>
    public static string? AlertIn(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (AlertPattern().Match(e.Message) is { Success: true } match)
            {
                return match.Groups["alert"].Value;
            }
        }

        return null;
    }

    // OpenSSL: "sslv3 alert bad certificate", "tlsv13 alert certificate required"; .NET: "sent a TLS alert: 'BadCertificate'".
    [GeneratedRegex(@"alert:? '?(?<alert>[A-Za-z][A-Za-z ]*[A-Za-z])")]
    private static partial Regex AlertPattern();

    private static T? Find<T>(RpcException failure) where T : Exception
    {
        for (var e = failure.Status.DebugException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
