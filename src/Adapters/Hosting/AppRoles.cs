namespace Strata.Adapters.Hosting;

/// <summary>
/// The Entra ID app roles the HTTP functions that start work require when App Service Authentication is on (define
/// them on the app registration, assign them to people, groups or the service principals of pipelines).
/// </summary>
public static class AppRoles
{
    /// <summary>May ask for backups and restore drills: work that reads a cluster and writes only to the store or to scratch namespaces.</summary>
    public const string Requester = "Strata.Requester";

    /// <summary>May ask for restores, which write into a cluster; may also do what <see cref="Requester"/> may.</summary>
    public const string Operator = "Strata.Operator";

    /// <summary>
    /// Whether <paramref name="roles"/> grant <paramref name="required"/>. An operator may ask for a backup before the
    /// restore it is about to run without a second role assignment.
    /// </summary>
    public static bool Grant(IReadOnlySet<string> roles, string required) =>
        roles.Contains(required) || (required == Requester && roles.Contains(Operator));
}
