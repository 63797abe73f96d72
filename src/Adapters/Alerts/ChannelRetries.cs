using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Strata.Adapters.Alerts;

/// <summary>
/// The retry pipeline of one delivery: transient answers (<see cref="ChannelResponse.IsTransient"/>) and no answer at
/// all (connection refused or reset, an attempt that timed out) are tried again with exponential backoff and jitter, a
/// <c>Retry-After</c> honoured up to <see cref="AlertDeliveryOptions.MaxRetryAfter"/>; everything else is final.
/// </summary>
internal sealed class ChannelRetries(AlertDeliveryOptions options, TimeProvider time)
{
    private readonly ResiliencePipeline<ChannelResponse> _pipeline = new ResiliencePipelineBuilder<ChannelResponse> { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions<ChannelResponse>
        {
            MaxRetryAttempts = Math.Max(0, options.MaxAttempts - 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.FirstRetryDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(!args.Context.CancellationToken.IsCancellationRequested && args.Outcome switch
            {
                { Result: { } answer } => answer.IsTransient && !(RetryAfter(answer, time) > options.MaxRetryAfter),
                { Exception: HttpRequestException { StatusCode: null } or TimeoutRejectedException or IOException } => true,
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } answer ? RetryAfter(answer, time) : null),
        })
        .AddTimeout(options.AttemptTimeout)
        .Build();

    /// <summary>Runs <paramref name="attempt"/> until it is accepted, refused for good, or out of attempts; counts the attempts.</summary>
    public async Task<(ChannelResponse? Answer, Exception? Error, int Attempts)> RunAsync(
        Func<CancellationToken, Task<ChannelResponse>> attempt, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var answer = await _pipeline.ExecuteAsync(async token =>
            {
                Interlocked.Increment(ref attempts);
                return await attempt(token);
            }, cancellationToken);
            return (answer, null, attempts);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (null, e, attempts);
        }
    }

    /// <summary>How long the service asked to wait (seconds or a date); null for the backoff schedule.</summary>
    public static TimeSpan? RetryAfter(ChannelResponse answer, TimeProvider time) => answer.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
