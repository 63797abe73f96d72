namespace Strata.Core.Results;

/// <summary>How bad a problem is.</summary>
public enum ProblemSeverity
{
    /// <summary>Something noteworthy; the data it concerns is intact.</summary>
    Warning,

    /// <summary>Something that is missing from the result.</summary>
    Error,
}
