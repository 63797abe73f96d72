using Strata.Core.Results;

namespace Strata.Core.Alerts;

/// <summary>
/// The items of a run that failed, as an alert lists them: the first <see cref="Shown"/>, one line each, and how
/// many more — enough for on-call to see what broke without the message growing with the cluster.
/// </summary>
public static class FailedItemList
{
    /// <summary>How many items an alert lists.</summary>
    public const int Shown = 20;

    /// <summary>The errors among <paramref name="problems"/> (warnings are not failures): the first <see cref="Shown"/> as lines, and the count of the rest.</summary>
    public static (IReadOnlyList<string> Items, int More) From(IEnumerable<Problem> problems) =>
        Of(problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => $"{p.Location}: {p.Message}"));

    /// <summary>The first <see cref="Shown"/> of <paramref name="lines"/>, and the count of the rest.</summary>
    public static (IReadOnlyList<string> Items, int More) Of(IEnumerable<string> lines)
    {
        var all = lines.ToList();
        return ([.. all.Take(Shown)], Math.Max(0, all.Count - Shown));
    }
}
