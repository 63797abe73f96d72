using System.Net.Http.Headers;
using k8s.Autorest;
using Polly.Timeout;

namespace Strata.Adapters.Kubernetes;

/// <summary>How one call is made: retries, a fresh credential after a 401, raw requests on the SDK's connection, errors.</summary>
public sealed partial class KubernetesClient
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    /// <summary>
    /// Runs <paramref name="attempt"/> (a typed SDK call, or <see cref="SendAsync"/> with the
    /// response read) through the retries. When the server refuses the credential (401) and it can
    /// be refreshed (exec plugin, token file, referenced secret), it is fetched anew, once.
    /// </summary>
    private async Task<T> CallAsync<T>(string request, bool mutating, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var pipeline = mutating ? _retries.Mutating : _retries.Reading;
        var refreshed = false;
        while (true)
        {
            try
            {
                return await pipeline.ExecuteAsync(async ct => await AttemptAsync(request, attempt, ct), cancellationToken);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 401 && !refreshed && Connection.RefreshableCredential is { } credential)
            {
                refreshed = true;
                await credential.RefreshAsync(cancellationToken);
            }
            catch (Exception e) when (RequestRetries.IsNoAnswer(e) && !cancellationToken.IsCancellationRequested)
            {
                throw NoAnswer(request, e);
            }
        }
    }

    private async Task<T> AttemptAsync<T>(string request, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            var result = await attempt(cancellationToken);
            MarkReached();
            return result;
        }
        catch (HttpOperationException e)
        {
            MarkReached();
            throw KubernetesApiException.FromSdk(e, request);
        }
    }

    /// <summary>
    /// Sends one raw request on the SDK's <see cref="HttpClient"/> (its handler: trust, client
    /// certificate, connection pool) with the configuration's credentials applied as the SDK
    /// applies them, and returns the response with its body unread. An error status becomes a
    /// <see cref="KubernetesApiException"/> keeping the server's <c>Status</c>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_api.BaseUri, path.TrimStart('/'))) { Content = content, Version = _httpVersion };
        request.Headers.Accept.Add(Json);
        if (_api.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var response = await _api.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        MarkReached();
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw KubernetesApiException.FromResponse((int)response.StatusCode, body, $"{method} {path}", response.Headers.RetryAfter);
        }
    }

    private KubernetesApiException NoAnswer(string request, Exception error)
    {
        var server = Connection.Server;
        return error is TimeoutRejectedException or OperationCanceledException
            ? new KubernetesApiException($"{request}: no answer from {server} within {_options.RequestTimeout.TotalSeconds:0} s", 0, "Timeout", inner: error)
            : new KubernetesApiException($"cannot reach {server}: {error.Message}", 0, "Unreachable", inner: error);
    }
}
