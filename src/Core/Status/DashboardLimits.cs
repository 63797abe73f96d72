namespace Strata.Core.Status;

/// <summary>
/// How much history the status page shows per (cluster, policy), so that a page for a fleet of hundreds of pairs stays
/// a few megabytes and a history of years is read in memory bounded per pair.
/// </summary>
public sealed record DashboardLimits
{
    /// <summary>
    /// Drills per pair (default 30): a month of daily drills or half a year of weekly ones, enough to see an RTO trend;
    /// drills are rarer than backups, so fewer points cover a longer time.
    /// </summary>
    public int MaxDrills { get; init; } = 30;

    /// <summary>
    /// Committed backups per pair (default 90): a quarter of daily backups, or four days of hourly ones — enough for size or
    /// object-count drift to show, and 90 points still sit several pixels apart on the page's charts.
    /// </summary>
    public int MaxBackups { get; init; } = 90;

    /// <summary>The defaults.</summary>
    public static DashboardLimits Default { get; } = new();
}
