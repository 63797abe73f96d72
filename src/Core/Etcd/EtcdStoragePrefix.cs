namespace Strata.Core.Etcd;

/// <summary>
/// A row of <see cref="EtcdKeyspace.Exceptions"/>: a prefix under <c>/registry/</c> that kube-apiserver does not name
/// after the resource stored there, or that holds no API object at all.
/// </summary>
/// <param name="Prefix">The prefix's segments after <c>/registry/</c>, without slashes around them (<c>services/specs</c>).</param>
/// <param name="Resource">The resource stored there as the manifest counts it (<c>services</c>, <c>ingresses.networking.k8s.io</c>); null: internal keys, no API object.</param>
/// <param name="Reason">Why the key is shaped so.</param>
public sealed record EtcdStoragePrefix(string Prefix, string? Resource, string Reason);
