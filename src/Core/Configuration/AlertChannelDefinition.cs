namespace Strata.Core.Configuration;

/// <summary>
/// One place alerts go (<c>alerts.channels[]</c> in strata.yaml). Every credential is a
/// <see cref="SecretReference"/> — a Slack, Teams or webhook URL lets anyone who has it post, so it is one
/// too — resolved when an alert is sent, so a rotated secret takes effect without a restart.
/// </summary>
public sealed record AlertChannelDefinition
{
    /// <summary>The default PagerDuty Events API v2 endpoint.</summary>
    public static readonly Uri PagerDutyEvents = new("https://events.pagerduty.com/v2/enqueue");

    /// <summary>The channel's name, as routes and <c>strata alert test --channel</c> name it.</summary>
    public required string Name { get; init; }

    /// <summary>Which service, and so which payload.</summary>
    public required AlertChannelType Type { get; init; }

    /// <summary>The webhook URL (Slack, Teams, webhook); null for PagerDuty.</summary>
    public SecretReference? Url { get; init; }

    /// <summary>
    /// PagerDuty's Events API endpoint: <see cref="PagerDutyEvents"/> unless strata.yaml names another (the EU
    /// service region's, or a test's). Not a secret: the routing key is.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>PagerDuty's integration (routing) key.</summary>
    public SecretReference? RoutingKey { get; init; }

    /// <summary>The webhook's signing secret (HMAC-SHA256 of the body, see docs/alerts.md).</summary>
    public SecretReference? SigningSecret { get; init; }

    /// <summary>The line in the file where the channel is defined.</summary>
    public int Line { get; init; }
}
