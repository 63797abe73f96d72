using System.Security.Authentication;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// The Polly pipelines every call of <see cref="KubernetesClient"/> runs through, one attempt
/// (request and response body) at a time, each within <see cref="KubernetesClientOptions.RequestTimeout"/>.
/// </summary>
/// <remarks>
/// Two kinds of failure, two limits:
/// <list type="bullet">
/// <item>The server answered with a transient error (429 honouring <c>Retry-After</c>, 5xx but
/// 501): up to <see cref="KubernetesClientOptions.MaxRetries"/> retries. A persistent 500 from one
/// broken API (a conversion webhook down) must not hold up the rest of a backup.</item>
/// <item>No answer (connection refused or reset, the response cut off, the attempt timed out):
/// once this client has reached the server, retried until the server has been unreachable for
/// <see cref="KubernetesClientOptions.OutageBudget"/> — an API server restart costs time, not
/// objects. A server never reached (a wrong address) fails after <c>MaxRetries</c>, quickly.</item>
/// </list>
/// A mutating request is retried only when the server cannot have processed it: 429 or 503, or
/// no connection was made; a 500 or a reset after a create may have created the object. A
/// certificate the trust refuses is not an outage and is not retried.
/// </remarks>
internal sealed class RequestRetries
{
    private static readonly ResiliencePropertyKey<long> OutageStarted = new("strata.kubernetes.outage-started");
    private static readonly ResiliencePropertyKey<int> Answered = new("strata.kubernetes.answered-retries");
    private readonly KubernetesClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<bool> _reachedBefore;

    public RequestRetries(KubernetesClientOptions options, TimeProvider time, Func<bool> reachedBefore)
    {
        _options = options;
        _time = time;
        _reachedBefore = reachedBefore;
        Reading = Build(mutating: false);
        Mutating = Build(mutating: true);
    }

    /// <summary>For GET: every transient failure is retried.</summary>
    public ResiliencePipeline Reading { get; }

    /// <summary>For POST, PUT, PATCH, DELETE: only what the server cannot have processed.</summary>
    public ResiliencePipeline Mutating { get; }

    /// <summary>Whether <paramref name="error"/> means no answer came (rather than an error answer).</summary>
    public static bool IsNoAnswer(Exception error) => error is HttpRequestException { StatusCode: null } or IOException or TimeoutRejectedException or OperationCanceledException;

    private ResiliencePipeline Build(bool mutating)
    {
        var retry = new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue, // ShouldHandle applies the two limits
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.BaseDelay,
            MaxDelay = _options.MaxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context, mutating)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception as KubernetesApiException)),
        };
        return new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(retry)
            .AddTimeout(_options.RequestTimeout)
            .Build();
    }

    private bool ShouldRetry(Exception? error, ResilienceContext context, bool mutating)
    {
        if (error is null || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (error is KubernetesApiException { StatusCode: > 0 } answered)
        {
            var retryable = mutating ? answered.StatusCode is 429 or 503 : answered.IsTransient;
            return retryable && CountAnswered(context) <= _options.MaxRetries;
        }

        if (!IsNoAnswer(error) || IsRefusedCertificate(error))
        {
            return false;
        }

        if (mutating && error is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
        {
            return false;
        }

        return _reachedBefore() ? WithinOutageBudget(context) : CountAnswered(context) <= _options.MaxRetries;
    }

    private static int CountAnswered(ResilienceContext context)
    {
        var count = context.Properties.GetValue(Answered, 0) + 1;
        context.Properties.Set(Answered, count);
        return count;
    }

    private bool WithinOutageBudget(ResilienceContext context)
    {
        if (!context.Properties.TryGetValue(OutageStarted, out var started))
        {
            started = _time.GetTimestamp();
            context.Properties.Set(OutageStarted, started);
        }

        return _time.GetElapsedTime(started) < _options.OutageBudget;
    }

    // The TLS handshake failed on the certificate (not on a connection cut during the handshake).
    private static bool IsRefusedCertificate(Exception error)
    {
        var refused = false;
        for (var e = error.InnerException; e is not null; e = e.InnerException)
        {
            if (e is IOException or System.Net.Sockets.SocketException)
            {
                return false;
            }

            refused |= e is AuthenticationException;
        }

        return refused;
    }

    private TimeSpan? RetryAfter(KubernetesApiException? answered)
    {
        var retryAfter = answered?.RetryAfter;
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
