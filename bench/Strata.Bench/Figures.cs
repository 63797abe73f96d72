using System.Globalization;

/// <summary>What every benchmark reports beside its figures: medians, and the machine's load while it ran.</summary>
internal static class Figures
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The one-minute load average: the machine is shared, so every figure carries it.</summary>
    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Seconds, as the tables show them: <c>1.23, 1.25, 1.30 s</c>.</summary>
    public static string Runs(IEnumerable<double> seconds) =>
        string.Join(", ", seconds.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture))) + " s";
}
