namespace Strata.Core.Coverage;

/// <summary>What protects one thing (with how, in words), and why each policy that does not protect it does not.</summary>
internal sealed class Verdict
{
    private readonly List<(CoverageProtection By, string How)> _protections = [];

    /// <summary>The policies and layers, each once.</summary>
    public IReadOnlyList<CoverageProtection> By => _protections.Select(p => p.By).Distinct().ToList();

    /// <summary>How they protect it, each once.</summary>
    public IReadOnlyList<string> How => _protections.Select(p => p.How).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Why policies do not (<c>policy nightly: skips volumes</c>).</summary>
    public List<string> WhyNot { get; } = [];

    public bool Protected => _protections.Count > 0;

    public void Protect(string policy, string layer, string how) => _protections.Add((new CoverageProtection(policy, layer), how));

    public void Not(string why)
    {
        if (!WhyNot.Contains(why, StringComparer.Ordinal))
        {
            WhyNot.Add(why);
        }
    }

    public void Merge(Verdict other)
    {
        _protections.AddRange(other._protections);
        other.WhyNot.ForEach(Not);
    }
}
