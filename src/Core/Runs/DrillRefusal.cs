namespace Strata.Core.Runs;

/// <summary>An object the drill's target refused, and why.</summary>
/// <param name="Object">The object in the target: <c>deployments.apps drill-0a1b2c-shop/web</c>.</param>
/// <param name="Reason">The server's Status message, or why the target cannot take it (a resource it does not serve).</param>
public sealed record DrillRefusal(string Object, string Reason);
