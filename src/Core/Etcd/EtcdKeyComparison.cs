namespace Strata.Core.Etcd;

/// <summary>One resource in the rebuild drill: its keys in the rebuilt etcd against its objects in the backup.</summary>
/// <param name="Resource">The resource as the manifest counts it (<c>deployments.apps</c>, <c>pods</c>).</param>
/// <param name="Prefix">The etcd prefix its keys live under (<c>/registry/deployments/</c>, <c>/registry/services/specs/</c>).</param>
/// <param name="Keys">Keys under the prefix.</param>
/// <param name="Objects">Objects the backup captured; null for a prefix whose resource the backup did not capture.</param>
/// <param name="Problem">Why they disagree (fewer keys than objects beyond the tolerance); null when they agree.</param>
/// <param name="Note">
/// Why the keys were not held to the objects, when they were not: a resource served by an aggregated API server
/// (<c>served by an aggregated API server: not stored in this etcd</c>); null otherwise.
/// </param>
public sealed record EtcdKeyComparison(string Resource, string Prefix, long Keys, long? Objects, string? Problem, string? Note = null);
