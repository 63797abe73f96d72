using Strata.Core.Etcd;

namespace Strata.TestKit.Etcd;

/// <summary>Where kube-apiserver would keep the sandbox sample application's objects in etcd, for filling an etcd that stands in for its.</summary>
public static class SampleApplicationKeys
{
    /// <summary>
    /// The key prefix of a resource as the manifest counts it: custom resources (the sample's <c>demo.strata.dev</c>) and
    /// CRDs keep their group in the key, as kube-apiserver stores them; built-in resources do not.
    /// </summary>
    public static string Prefix(string resource) =>
        resource.EndsWith(".strata.dev", StringComparison.Ordinal) || resource.EndsWith(".apiextensions.k8s.io", StringComparison.Ordinal)
            ? EtcdKeyspace.GroupPrefix(resource)!
            : EtcdKeyspace.BuiltInPrefix(resource);
}
