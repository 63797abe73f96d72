namespace Strata.Core.Alerts;

/// <summary>Whether an incident is still going on.</summary>
public enum IncidentStatus
{
    /// <summary>Raised and not resolved since (what a record without a status means).</summary>
    Open,

    /// <summary>An <see cref="Messages.AlertResolved"/> closed it; the next alert with its key opens it again.</summary>
    Resolved,
}
