namespace Strata.Core.Databases;

/// <summary>One drill query: what it checked, what it found, whether that passed.</summary>
/// <param name="What">The query and its expectation (<see cref="DrillQuery.Describe"/>).</param>
/// <param name="Found">What it found: the value, or the tables whose rows differ.</param>
/// <param name="Passed">Whether it passed.</param>
public sealed record DrillQueryResult(string What, string Found, bool Passed);
