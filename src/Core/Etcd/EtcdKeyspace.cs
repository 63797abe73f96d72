namespace Strata.Core.Etcd;

/// <summary>
/// Where kube-apiserver keeps each resource's objects in etcd, and the rebuild drill's comparison of a rebuilt etcd's
/// keys with a backup's object counts. Built-in resources live under <c>/registry/{resource}/[{namespace}/]{name}</c>
/// (their group is not in the key); custom resources, CustomResourceDefinitions and APIServices under
/// <c>/registry/{group}/{resource}/…</c> (the first segment has a '.'); <see cref="Exceptions"/> lists the prefixes
/// named otherwise and the internal keys that are no API object. Keys outside <c>/registry/</c> (etcd's
/// <c>compact_rev_key</c>) are never objects. A different <c>--etcd-prefix</c> on the API server is not supported.
/// </summary>
public static class EtcdKeyspace
{
    /// <summary>kube-apiserver's default <c>--etcd-prefix</c>, where every object lives.</summary>
    public const string Root = "/registry/";

    /// <summary>
    /// The prefixes not named after their resource (kube-apiserver's <c>SpecialDefaultResourcePrefixes</c>, which
    /// predate API groups), and the API server's own bookkeeping under <c>/registry/</c>.
    /// </summary>
    public static IReadOnlyList<EtcdStoragePrefix> Exceptions { get; } =
    [
        new("services/specs", "services", "Services were stored beside their endpoints under services/ before API groups existed; the prefix stayed"),
        new("services/endpoints", "endpoints", "Endpoints sit under services/ beside the Services they belong to"),
        new("minions", "nodes", "Nodes were called minions when the storage layout was fixed"),
        new("controllers", "replicationcontrollers", "ReplicationControllers kept the prefix of the original 'controllers'"),
        new("ingress", "ingresses.networking.k8s.io", "Ingresses kept the singular prefix from extensions/v1beta1, shared by every group that serves them"),
        new("ingress", "ingresses.extensions", "the same objects served through extensions/v1beta1 (Kubernetes before 1.22)"),
        new("podsecuritypolicy", "podsecuritypolicies.policy", "PodSecurityPolicies (removed in Kubernetes 1.25) kept a singular prefix"),
        new("podsecuritypolicy", "podsecuritypolicies.extensions", "the same objects served through extensions/v1beta1"),
        new("ranges", null, "the Service ClusterIP and NodePort allocation bitmaps (ranges/serviceips, ranges/servicenodeports): allocator state"),
        new("masterleases", null, "the API servers' own addresses, leased for the kubernetes Service's endpoints"),
        new("peerserverleases", null, "the API servers' peer addresses for the mixed-version proxy (Kubernetes 1.28+)"),
        new("health", null, "the key the API server's etcd health check reads"),
    ];

    /// <summary>How many keys fewer than objects a resource may have before the drill fails it: churn between the capture and the snapshot (2 %, at least 2).</summary>
    public static long Tolerance(long objects) => Math.Max(2, objects / 50);

    /// <summary>
    /// The prefix (<c>/registry/pods/</c>, <c>/registry/services/specs/</c>, <c>/registry/example.com/widgets/</c>) of the
    /// resource <paramref name="key"/> stores an object of; null for a key that stores none (outside <see cref="Root"/>,
    /// internal, or naming no object).
    /// </summary>
    public static string? PrefixOf(string key)
    {
        if (!key.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key[Root.Length..];
        foreach (var row in Exceptions)
        {
            if (rest == row.Prefix || rest.StartsWith(row.Prefix + "/", StringComparison.Ordinal))
            {
                return row.Resource is null || rest.Length <= row.Prefix.Length + 1 ? null : $"{Root}{row.Prefix}/";
            }
        }

        var segments = rest.Split('/');
        return segments[0].Contains('.', StringComparison.Ordinal)
            ? segments.Length >= 3 && segments[1].Length > 0 && segments[2].Length > 0 ? $"{Root}{segments[0]}/{segments[1]}/" : null
            : segments.Length >= 2 && segments[0].Length > 0 && segments[1].Length > 0 ? $"{Root}{segments[0]}/" : null;
    }

    /// <summary>Keys per prefix (<see cref="PrefixOf"/>), leaving out those that store no object.</summary>
    public static Dictionary<string, long> Count(IEnumerable<string> keys)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            Add(counts, key);
        }

        return counts;
    }

    /// <summary>Counts <paramref name="key"/> in <paramref name="counts"/> under its prefix, if it stores an object.</summary>
    public static void Add(Dictionary<string, long> counts, string key)
    {
        if (PrefixOf(key) is { } prefix)
        {
            counts[prefix] = counts.GetValueOrDefault(prefix) + 1;
        }
    }

    /// <summary>Where a built-in resource (<c>deployments.apps</c>, <c>services</c>) keeps its objects: <see cref="Exceptions"/>, else <c>/registry/{resource}/</c>.</summary>
    public static string BuiltInPrefix(string resource) =>
        Exceptions.FirstOrDefault(e => e.Resource == resource) is { } row ? $"{Root}{row.Prefix}/" : $"{Root}{resource.Split('.', 2)[0]}/";

    /// <summary>Where a resource of a group would keep its objects if the group is in its keys (custom resources, CRDs, APIServices); null for the core group.</summary>
    public static string? GroupPrefix(string resource) =>
        resource.Split('.', 2) is [var name, var group] ? $"{Root}{group}/{name}/" : null;

    /// <summary>The note of a resource an aggregated API server serves, with no keys in this etcd.</summary>
    public const string AggregatedNote = "served by an aggregated API server: not stored in this etcd";

    /// <summary>The note of a resource an aggregated API server serves that keeps its objects in this etcd too (OpenShift's).</summary>
    public const string AggregatedHereNote = "served by an aggregated API server, which keeps its objects in this etcd too: not held to the backup's count";

    /// <summary>
    /// Compares the keys per prefix of a rebuilt etcd with the objects per resource of the same backup. Each resource the
    /// backup holds objects of is matched to <c>/registry/{group}/{resource}/</c> when keys exist there, else to its
    /// built-in prefix. The objects were captured shortly before the snapshot, so a resource may have up to
    /// <see cref="Tolerance"/> keys fewer than objects; none at all, or fewer still, is a problem. More keys than objects
    /// is no problem (the backup's scope may leave namespaces or objects out). A resource of one of
    /// <paramref name="aggregatedGroups"/> — API groups an aggregated API server serves (an <c>APIService</c> with a
    /// <c>service</c>), whose objects live wherever that server keeps them — is listed with its objects and a
    /// <see cref="EtcdKeyComparison.Note"/>, never a problem. Prefixes the backup holds nothing of are listed with no
    /// objects. Problems first, then the backup's resources, then the rest, each by name.
    /// </summary>
    public static IReadOnlyList<EtcdKeyComparison> Compare(
        IReadOnlyDictionary<string, long> keysByPrefix, IReadOnlyDictionary<string, long> objectsByResource, IReadOnlySet<string>? aggregatedGroups = null)
    {
        var compared = new List<EtcdKeyComparison>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (resource, objects) in objectsByResource.Where(r => r.Value > 0))
        {
            var byGroup = GroupPrefix(resource);
            if (byGroup is not null && aggregatedGroups is not null && aggregatedGroups.Contains(resource.Split('.', 2)[1]))
            {
                var stored = keysByPrefix.GetValueOrDefault(byGroup);
                if (stored > 0)
                {
                    claimed.Add(byGroup);
                }

                compared.Add(new EtcdKeyComparison(resource, byGroup, stored, objects, null, stored > 0 ? AggregatedHereNote : AggregatedNote));
                continue;
            }

            var builtIn = BuiltInPrefix(resource);
            var prefix = byGroup is not null && keysByPrefix.GetValueOrDefault(byGroup) > 0 ? byGroup : builtIn;
            var keys = keysByPrefix.GetValueOrDefault(prefix);
            claimed.Add(prefix);
            var tolerance = Tolerance(objects);
            var problem = keys == 0
                ? $"{resource}: the backup holds {Objects(objects)}, but the rebuilt etcd has no key under {prefix}"
                    + (byGroup is not null && byGroup != prefix && resource.Split('.', 2)[1].Contains('.', StringComparison.Ordinal) ? $" nor {byGroup}" : "")
                : objects - keys > tolerance
                    ? $"{resource}: {keys:N0} keys under {prefix} against {Objects(objects)} in the backup: {objects - keys:N0} fewer, more than the {tolerance:N0} that changes between the capture and the snapshot explain"
                    : null;
            compared.Add(new EtcdKeyComparison(resource, prefix, keys, objects, problem));
        }

        var others = keysByPrefix.Where(p => !claimed.Contains(p.Key)).Select(p => new EtcdKeyComparison(ResourceAt(p.Key), p.Key, p.Value, null, null));
        return [.. compared.OrderBy(c => c.Problem is null).ThenBy(c => c.Resource, StringComparer.Ordinal).Concat(others.OrderBy(c => c.Resource, StringComparer.Ordinal))];
    }

    /// <summary>The resource a prefix of <see cref="PrefixOf"/> stores, as the manifest would count it (the group of a built-in one is unknown: its plain name).</summary>
    public static string ResourceAt(string prefix)
    {
        var inner = prefix[Root.Length..].TrimEnd('/');
        return Exceptions.FirstOrDefault(e => e.Prefix == inner && e.Resource is not null) is { } row ? row.Resource!
            : inner.Split('/') is [var group, var name] ? $"{name}.{group}"
            : inner;
    }

    private static string Objects(long objects) => objects == 1 ? "1 object" : $"{objects:N0} objects";
}
