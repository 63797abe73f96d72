namespace Strata.Core.Alerts;

/// <summary>How one delivery to one channel went.</summary>
/// <param name="Delivered">The service accepted it (a 2xx answer).</param>
/// <param name="StatusCode">The service's last HTTP status, when it answered.</param>
/// <param name="Answer">An excerpt of the service's answer, or why there was none (never a URL or another secret).</param>
/// <param name="Attempts">How many requests were made (retries included).</param>
public sealed record AlertDelivery(bool Delivered, int? StatusCode, string Answer, int Attempts)
{
    /// <summary>A delivery that failed before or without an answer.</summary>
    public static AlertDelivery Failed(string reason, int attempts = 0) => new(false, null, reason, attempts);

    /// <summary>For logs and the channel's health: <c>202 {"status":"success"…} (1 attempt)</c>.</summary>
    public override string ToString() =>
        (StatusCode is { } status ? $"{status} {Answer}".TrimEnd() : Answer) + $" ({Attempts} attempt{(Attempts == 1 ? "" : "s")})";
}
