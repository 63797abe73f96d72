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

    /// <summary>
    /// Points on one page, backups and drills together (default 5,000; a point with its row in the numbers table is about
    /// 0.6 KB of HTML, so about 3 MB). Up to 40 pairs every pair gets its full share; a bigger fleet gets fewer
    /// points per pair on the whole-fleet page, never fewer than <see cref="MinBackups"/> and <see cref="MinDrills"/>;
    /// <c>?cluster=</c> shows one cluster's pairs in full.
    /// </summary>
    public int PagePoints { get; init; } = 5_000;

    /// <summary>Committed backups per pair however big the fleet (default 10).</summary>
    public int MinBackups { get; init; } = 10;

    /// <summary>Drills per pair however big the fleet (default 5).</summary>
    public int MinDrills { get; init; } = 5;

    /// <summary>The defaults.</summary>
    public static DashboardLimits Default { get; } = new();

    /// <summary>The limits for a page of <paramref name="pairs"/> pairs: three quarters of <see cref="PagePoints"/> for backups, a quarter for drills.</summary>
    public DashboardLimits For(int pairs) => pairs <= 0 ? this : this with
    {
        MaxBackups = Math.Min(MaxBackups, Math.Max(MinBackups, PagePoints * 3 / 4 / pairs)),
        MaxDrills = Math.Min(MaxDrills, Math.Max(MinDrills, PagePoints / 4 / pairs)),
    };
}
