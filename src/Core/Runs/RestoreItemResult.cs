namespace Strata.Core.Runs;

/// <summary>The result for one object, located in the target.</summary>
/// <param name="Resource">Group-qualified resource in the backup, e.g. <c>deployments.apps</c>.</param>
/// <param name="Namespace">Namespace in the target (after mapping), for namespaced objects.</param>
/// <param name="Name">Object name in the target.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why, where it is not obvious: the server's message, the controller that recreates it.</param>
public sealed record RestoreItemResult(string Resource, string? Namespace, string Name, RestoreItemOutcome Outcome, string? Message = null);
