using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Strata.Core.Ports;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// A small Kubernetes REST client: discovery, paged lists as <see cref="IAsyncEnumerable{T}"/>,
/// get/create/replace/patch/delete. Retries 429 (honouring <c>Retry-After</c>), 5xx and timeouts
/// with backoff; refreshes exec-plugin credentials after a 401; every call is cancellable.
/// Errors surface as <see cref="KubernetesApiException"/> carrying the server's <c>Status</c>.
/// </summary>
public sealed partial class KubernetesClient : IClusterWriter, IDisposable
{
    private readonly ClusterConnection _connection;
    private readonly KubernetesClientOptions _options;
    private readonly TimeProvider _time;
    private readonly KubernetesTransport _transport;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotent;
    private readonly ResiliencePipeline<HttpResponseMessage> _mutating;

    /// <summary>Creates a client for <paramref name="connection"/>.</summary>
    public KubernetesClient(ClusterConnection connection, KubernetesClientOptions? options = null, TimeProvider? time = null)
    {
        _connection = connection;
        _options = options ?? new KubernetesClientOptions();
        _time = time ?? TimeProvider.System;
        _transport = new KubernetesTransport(connection);
        _idempotent = BuildPipeline(mutating: false);
        _mutating = BuildPipeline(mutating: true);
    }

    /// <summary>The connection this client uses.</summary>
    public ClusterConnection Connection => _connection;

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    /// <summary>
    /// Sends one request (built anew for each attempt) and returns the successful response;
    /// a failure becomes a <see cref="KubernetesApiException"/>.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, Func<HttpContent?>? content = null, CancellationToken cancellationToken = default)
    {
        var pipeline = method == HttpMethod.Get ? _idempotent : _mutating;
        var refreshed = false;
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await pipeline.ExecuteAsync(
                    async ct => await SendOnceAsync(method, path, content, refreshed, ct),
                    cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new KubernetesApiException($"cannot reach {_connection.Server}: {e.Message}", 0, "Unreachable", inner: e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KubernetesApiException($"{method} {path}: no answer from {_connection.Server} within {_options.RequestTimeout.TotalSeconds:0} s", 0, "Timeout", inner: e);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed && _connection.Credentials is not null)
                {
                    refreshed = true; // an expired exec or token-file credential: fetch a new one, once
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw KubernetesApiException.FromResponse((int)response.StatusCode, body, $"{method} {path}");
            }
        }
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(
        HttpMethod method, string path, Func<HttpContent?>? content, bool refresh, CancellationToken cancellationToken)
    {
        var credential = _connection.Credentials is { } source ? await source.GetAsync(refresh, cancellationToken) : null;
        var client = _transport.For(credential?.ClientCertificate);
        using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        if (credential?.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        // Bodies are read within the attempt's timeout (pages are bounded by limit).
        return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(bool mutating)
    {
        // A mutating request is retried only when the server says it did not process it
        // (429, 503) or no connection was made; a 500 after a create may have created the object.
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = _options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.BaseDelay,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Result: { } r } => mutating
                    ? r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                    : KubernetesApiException.IsTransientStatus((int)r.StatusCode),
                { Exception: HttpRequestException e } => !mutating || e.HttpRequestError == HttpRequestError.ConnectionError,
                { Exception: OperationCanceledException } => !args.Context.CancellationToken.IsCancellationRequested && !mutating,
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            OnRetry = args =>
            {
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        return _options.MaxRetries > 0 ? builder.AddRetry(retry).Build() : builder.Build();
    }

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var retryAfter = response?.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < _options.MaxRetryAfter ? delta : _options.MaxRetryAfter;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < _options.MaxRetryAfter ? wait : _options.MaxRetryAfter;
        }

        return null; // the backoff schedule
    }
}
