namespace Strata.Core.Alerts;

/// <summary>What a notification tells a channel.</summary>
public enum AlertAction
{
    /// <summary>An incident opened, was raised again, or is still open (re-notification).</summary>
    Trigger,

    /// <summary>An incident the channel was told about is over.</summary>
    Resolve,
}
