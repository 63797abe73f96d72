namespace Strata.Core.Configuration;

/// <summary>What kind of service an alert channel posts to; each has its own payload.</summary>
public enum AlertChannelType
{
    /// <summary>A Slack incoming webhook: a message with Block Kit blocks.</summary>
    Slack,

    /// <summary>A Microsoft Teams Workflows (Power Automate) webhook: a message with an Adaptive Card.</summary>
    Teams,

    /// <summary>PagerDuty Events API v2: <c>trigger</c> and <c>resolve</c> events with a <c>dedup_key</c>.</summary>
    PagerDuty,

    /// <summary>Any HTTPS endpoint: the alert's envelope as JSON, signed with HMAC-SHA256 (<c>X-Strata-Signature</c>).</summary>
    Webhook,
}
