using Strata.Core.Results;

namespace Strata.Core.Verification;

/// <summary>
/// Collects findings while a backup is verified: keeps the first <see cref="VerificationReport.MaxFindings"/>,
/// counts the rest, so a badly damaged archive with 100,000 bad entries cannot blow the report up.
/// </summary>
public sealed class VerificationFindings
{
    private readonly List<VerificationFinding> _kept = [];

    /// <summary>Findings kept, in the order found.</summary>
    public IReadOnlyList<VerificationFinding> Kept => _kept;

    /// <summary>Findings beyond the limit.</summary>
    public int Omitted { get; private set; }

    /// <summary>Errors over all findings.</summary>
    public int Errors { get; private set; }

    /// <summary>Adds a finding.</summary>
    public void Add(VerificationFinding finding)
    {
        if (finding.Severity == ProblemSeverity.Error)
        {
            Errors++;
        }

        if (_kept.Count < VerificationReport.MaxFindings)
        {
            _kept.Add(finding);
        }
        else
        {
            Omitted++;
        }
    }

    /// <summary>Adds an error.</summary>
    public void Error(string check, string message, string? artifact = null, string? entry = null, string? expected = null, string? found = null) =>
        Add(new VerificationFinding(ProblemSeverity.Error, check, message, artifact, entry, expected, found));

    /// <summary>Adds a warning.</summary>
    public void Warning(string check, string message, string? artifact = null, string? entry = null, string? expected = null, string? found = null) =>
        Add(new VerificationFinding(ProblemSeverity.Warning, check, message, artifact, entry, expected, found));
}
