namespace Strata.Core.Ports;

/// <summary>
/// How deliveries to one alert channel have gone lately, for the status page and <c>strata status</c>: a channel
/// whose webhook was revoked shows up here instead of failing silently.
/// </summary>
public sealed record ChannelHealth
{
    /// <summary>The channel's name.</summary>
    public required string Channel { get; init; }

    /// <summary>Failed deliveries since the last one that succeeded (0 when the last succeeded).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When a delivery last succeeded.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>When a delivery last failed.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>Why the last failed delivery failed (the service's answer or the error; never a secret).</summary>
    public string? LastError { get; init; }

    /// <summary>The health after one more delivery at <paramref name="at"/>: <paramref name="failure"/> is null when it succeeded.</summary>
    public static ChannelHealth After(ChannelHealth? previous, string channel, DateTimeOffset at, string? failure) => failure is null
        ? (previous ?? new ChannelHealth { Channel = channel }) with { ConsecutiveFailures = 0, LastSuccessAt = at }
        : (previous ?? new ChannelHealth { Channel = channel }) with
        {
            ConsecutiveFailures = (previous?.ConsecutiveFailures ?? 0) + 1, LastFailureAt = at, LastError = failure,
        };
}
