using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s.Autorest;
using Strata.Core.Ports;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// A Kubernetes API call failed. Keeps the server's <c>Status</c> object (reason, message,
/// details) when there was one; <see cref="ClusterRequestException.IsTransient"/> says whether a
/// retry may help.
/// </summary>
public sealed class KubernetesApiException : ClusterRequestException
{
    /// <summary>Creates the exception.</summary>
    public KubernetesApiException(string message, int statusCode, string? reason, JsonObject? status = null, Exception? inner = null)
        : base(message, statusCode, reason, IsTransientStatus(statusCode), inner)
    {
        Status = status;
    }

    /// <summary>The server's <c>Status</c> object, if it sent one.</summary>
    public JsonObject? Status { get; }

    /// <summary>The server's <c>Retry-After</c>, if it sent one.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; init; }

    /// <summary>429, 5xx (but 501) and no response at all are worth retrying.</summary>
    public static bool IsTransientStatus(int statusCode) => statusCode is 0 or 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>Builds the exception from a response body, tolerating bodies that are not a Status.</summary>
    public static KubernetesApiException FromResponse(int statusCode, string body, string request, RetryConditionHeaderValue? retryAfter = null)
    {
        JsonObject? status = null;
        try
        {
            status = JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        if (status?["kind"]?.GetValue<string>() == "Status")
        {
            var message = status["message"]?.GetValue<string>() ?? $"HTTP {statusCode}";
            return new KubernetesApiException(message, statusCode, status["reason"]?.GetValue<string>(), status) { RetryAfter = retryAfter };
        }

        var snippet = body.Length > 200 ? body[..200] + "…" : body;
        return new KubernetesApiException($"{request}: HTTP {statusCode} {snippet}".Trim(), statusCode, null) { RetryAfter = retryAfter };
    }

    /// <summary>The same for a typed call of the SDK, which answers a failure with <see cref="HttpOperationException"/>.</summary>
    public static KubernetesApiException FromSdk(HttpOperationException error, string request)
    {
        var response = error.Response;
        if (response is null)
        {
            return new KubernetesApiException($"{request}: {error.Message}", 0, null, inner: error);
        }

        RetryConditionHeaderValue? retryAfter = null;
        if (response.Headers.TryGetValue("Retry-After", out var values) && values.FirstOrDefault() is { } value)
        {
            RetryConditionHeaderValue.TryParse(value, out retryAfter);
        }

        return FromResponse((int)response.StatusCode, response.Content ?? string.Empty, request, retryAfter);
    }
}
