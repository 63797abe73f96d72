namespace Strata.Core.Etcd;

/// <summary>One resource in the rebuild drill: its keys in the rebuilt etcd against its objects in the backup.</summary>
/// <param name="Resource">The resource as the manifest counts it (<c>deployments.apps</c>, <c>pods</c>).</param>
/// <param name="Prefix">The etcd prefix its keys live under (<c>/registry/deployments/</c>, <c>/registry/services/specs/</c>).</param>
/// <param name="Keys">Keys under the prefix.</param>
/// <param name="Objects">Objects the backup captured; null for a prefix whose resource the backup did not capture.</param>
/// <param name="Problem">Why they disagree (fewer keys than objects beyond the tolerance); null when they agree.</param>
public sealed record EtcdKeyComparison(string Resource, string Prefix, long Keys, long? Objects, string? Problem);
