namespace Strata.Core.Runs;

/// <summary>The result for one object, located in the target.</summary>
/// <param name="Resource">Group-qualified resource in the backup, e.g. <c>deployments.apps</c>.</param>
/// <param name="Namespace">Namespace in the target (after mapping), for namespaced objects.</param>
/// <param name="Name">Object name in the target.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why, where it is not obvious: the server's message, the controller that recreates it.</param>
public sealed record RestoreItemResult(string Resource, string? Namespace, string Name, RestoreItemOutcome Outcome, string? Message = null)
{
    /// <summary>
    /// How the message of a dry run's <see cref="RestoreItemOutcome.Created"/> starts when the server could not judge the
    /// object: its namespace or CRD is one the restore would create, which a dry run does not.
    /// </summary>
    public const string NotValidatedPrefix = "not validated: ";

    /// <summary>Whether this is a dry run's object the server could not judge (<see cref="NotValidatedPrefix"/>).</summary>
    public static bool IsNotValidated(RestoreItemResult item) =>
        item.Outcome == RestoreItemOutcome.Created && item.Message?.StartsWith(NotValidatedPrefix, StringComparison.Ordinal) == true;
}
