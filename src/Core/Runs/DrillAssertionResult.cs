namespace Strata.Core.Runs;

/// <summary>One assertion of a drill, as it ended.</summary>
/// <param name="What">What was asserted, on which object (in the target): <c>deployments.apps drill-0a1b2c-shop/web: rolled out</c>.</param>
/// <param name="Passed">Whether it held before the timeout.</param>
/// <param name="Seconds">When it first held, in seconds from the drill's start; null when it never did.</param>
/// <param name="LastSeen">What the object last showed (kubectl's rollout message, a condition, a printed value, "not found").</param>
/// <param name="Readiness">Whether it is one of the default readiness assertions (rather than the user's).</param>
public sealed record DrillAssertionResult(string What, bool Passed, double? Seconds, string? LastSeen, bool Readiness = false);
