namespace Strata.Core.Results;

/// <summary>
/// One thing that went wrong with one item of a run, located as precisely as known: the
/// resource type, namespace and object name are filled in where they apply.
/// </summary>
/// <param name="Severity">Warning or error.</param>
/// <param name="Message">What happened, in words an operator can act on.</param>
/// <param name="Resource">Group-qualified resource, e.g. <c>deployments.apps</c>.</param>
/// <param name="Namespace">Namespace, for namespaced items.</param>
/// <param name="Name">Object name.</param>
/// <param name="Reason">Machine-readable reason, e.g. the API's <c>Forbidden</c>.</param>
public sealed record Problem(
    ProblemSeverity Severity,
    string Message,
    string? Resource = null,
    string? Namespace = null,
    string? Name = null,
    string? Reason = null)
{
    /// <summary>Where the problem is, e.g. <c>secrets.shop/db-password</c> or <c>configmaps</c>.</summary>
    public string Location
    {
        get
        {
            var where = Resource ?? "cluster";
            if (Namespace is not null)
            {
                where += $" in {Namespace}";
            }

            return Name is null ? where : $"{where}: {Name}";
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Location}: {Message}";
}
