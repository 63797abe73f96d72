namespace Strata.Core.Results;

/// <summary>
/// The machine-readable reasons Strata gives a <see cref="Problem"/>. Failures the Kubernetes API reports
/// keep the API's own reason (<c>Forbidden</c>, <c>NotFound</c>, <c>Expired</c>, …) as the server sent it.
/// </summary>
public static class ProblemReasons
{
    /// <summary>The API server refused the identity (the API's own reason, which capture explains with the missing verb).</summary>
    public const string Forbidden = "Forbidden";

    /// <summary>A group/version's discovery failed: its resources could not be listed.</summary>
    public const string DiscoveryFailed = "DiscoveryFailed";

    /// <summary>An object or resource the run looked for is not there.</summary>
    public const string NotFound = "NotFound";

    /// <summary>A restore priority names nothing that can be ordered by it.</summary>
    public const string PriorityIgnored = "PriorityIgnored";

    /// <summary>The target serves a resource at another version than the backup holds.</summary>
    public const string VersionChanged = "VersionChanged";

    /// <summary>Restored objects point at owners that get new uids.</summary>
    public const string OwnerReferences = "OwnerReferences";

    /// <summary>The backup has no manifest: it never completed and nothing in it can be checked.</summary>
    public const string Incomplete = "Incomplete";

    /// <summary>A restored CustomResourceDefinition did not become Established in time.</summary>
    public const string NotEstablished = "NotEstablished";
}
