using System.Net.Http.Headers;

namespace Strata.Adapters.Alerts;

/// <summary>A service's answer to one attempt, read whole (answers are short) so the response can be let go at once.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body (the first few kilobytes).</param>
/// <param name="RetryAfter">The <c>Retry-After</c> header, if any.</param>
internal sealed record ChannelResponse(int Status, string Body, RetryConditionHeaderValue? RetryAfter)
{
    /// <summary>
    /// Worth another attempt: 408, 429, 5xx — the answers the services document as "retry later" (PagerDuty's Events API
    /// overview: 429 and 5xx; Slack's rate limits: 429 with Retry-After). Also the legacy Teams connectors' 200 whose body
    /// says "HTTP error 429" (Microsoft Learn, "Rate limiting for connectors"). A 4xx otherwise is the payload or the
    /// credential: retrying sends the same thing to the same refusal.
    /// </summary>
    public bool IsTransient => Status is 408 or 429 or >= 500 || (Status == 200 && Body.Contains("HTTP error 429", StringComparison.Ordinal));

    /// <summary>2xx (and not the Teams connectors' disguised 429).</summary>
    public bool Accepted => Status is >= 200 and < 300 && !IsTransient;
}
