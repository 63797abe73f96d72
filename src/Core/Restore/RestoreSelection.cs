using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>
/// Applies the request's filters while the archive is read, and gathers what apply needs to know
/// about the whole set: which cluster-scoped objects the restored ones need (the backup's own
/// dependency rules, <see cref="ClusterDependencies"/>), which uids are restored (for owner
/// references), which Services have selectors, which CRDs the backup holds.
/// </summary>
internal sealed class RestoreSelection(RestoreRequest request, DiscoveryResult target) : IRestoreSetFacts
{
    private readonly HashSet<string> _selectedUids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _candidateUids = new(StringComparer.Ordinal);
    private readonly HashSet<string> _needed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _selectorServices = new(StringComparer.Ordinal);
    private readonly HashSet<string> _volumes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _strataSnapshots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recordedContents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _snapshotClaims = new(StringComparer.Ordinal);
    private readonly Dictionary<(SourceType, string), ApiResource> _resources = [];
    private readonly bool _volumesExcluded = request.ExcludeResources.Any(
        new ApiResource("", "v1", "persistentvolumes", "PersistentVolume", false, []) { SingularName = "persistentvolume", ShortNames = ["pv"] }.IsNamedBy);

    private HashSet<string>? _restoredUids;

    private bool NamespacesFiltered => request.IncludeNamespaces.Count > 0 && !request.IncludeNamespaces.Contains("*");

    /// <summary>Uids that owner references point at.</summary>
    public HashSet<string> ReferencedOwners { get; } = new(StringComparer.Ordinal);

    /// <summary>CRD names (<c>plural.group</c>) the backup holds.</summary>
    public HashSet<string> CustomResourceDefinitions { get; } = new(StringComparer.Ordinal);

    /// <summary>Objects left out by the filters.</summary>
    public long Excluded { get; private set; }

    /// <summary>Takes in the backup's volume records (before the archive is read).</summary>
    public void UseSnapshots(Snapshots.SnapshotInventory inventory)
    {
        _recordedContents.UnionWith(inventory.ContentNames);
        _snapshotClaims.UnionWith(inventory.Recorded.Values.Where(r => Snapshots.SnapshotInventory.IsUsable(r.Record)).Select(r => $"{r.Record.Namespace}/{r.Record.Claim}"));
    }

    /// <summary>Judges one object and records what apply will need to know about it.</summary>
    public Selection Consider(SourceType type, KubeObject obj)
    {
        if (type.QualifiedName == Snapshots.StrataSnapshotObjects.VolumeSnapshots && Snapshots.StrataSnapshotObjects.MadeBy(obj) is not null)
        {
            _strataSnapshots.Add($"{obj.Namespace}/{obj.Name}"); // whatever the filters say: its content is judged by it
        }

        if (!_resources.TryGetValue((type, obj.Kind), out var resource))
        {
            resource = _resources[(type, obj.Kind)] = type.ToApiResource(obj.Kind, target); // once per type, not per object
        }

        if (type.QualifiedName == RestoreOrder.CustomResourceDefinitions)
        {
            CustomResourceDefinitions.Add(obj.Name);
        }

        var selection = Judge(type, resource, obj);
        if (selection == Selection.Excluded)
        {
            Excluded++;
            return selection;
        }

        foreach (var owner in OwnerUids(obj))
        {
            ReferencedOwners.Add(owner);
        }

        var key = Key(type.Group, type.Resource, obj.Name);
        if (selection == Selection.IfNeeded)
        {
            if (obj.Uid is { } candidateUid)
            {
                _candidateUids[key] = candidateUid;
            }

            return selection;
        }

        if (obj.Uid is { } uid)
        {
            _selectedUids.Add(uid);
        }

        if (type.QualifiedName == "persistentvolumes")
        {
            _volumes.Add(obj.Name);
        }

        if (type.QualifiedName == "services" && (obj.Json["spec"] as JsonObject)?["selector"] is JsonObject { Count: > 0 })
        {
            _selectorServices.Add($"{obj.Namespace}/{obj.Name}");
        }

        foreach (var dependency in ClusterDependencies.Of(resource, obj))
        {
            _needed.Add(Key(dependency.Group, dependency.Resource, dependency.Name));
        }

        return selection;
    }

    /// <summary>Whether a cluster-scoped candidate is needed by a restored object.</summary>
    public bool IsNeeded(SourceType type, string name) => _needed.Contains(Key(type.Group, type.Resource, name));

    /// <summary>Fixes the restored set once the whole archive has been read.</summary>
    public void Seal()
    {
        _restoredUids = new HashSet<string>(_selectedUids, StringComparer.Ordinal);
        foreach (var (key, candidate) in _candidateUids)
        {
            if (_needed.Contains(key))
            {
                _restoredUids.Add(candidate);
            }
        }
    }

    /// <summary>Whether the object with <paramref name="uid"/> is restored (after <see cref="Seal"/>).</summary>
    public bool IsRestored(string uid) =>
        (_restoredUids ?? throw new InvalidOperationException("the selection is not sealed")).Contains(uid);

    /// <summary>
    /// Whether the PersistentVolume <paramref name="name"/> is restored. With volumes excluded
    /// (<c>--exclude-resources persistentvolumes</c>, and every scratch drill) none is, however much a claim
    /// needs it: its claim then binds to a new volume instead of waiting for one that never comes.
    /// </summary>
    public bool IsVolumeRestored(string name) =>
        !_volumesExcluded && (_volumes.Contains(name) || _needed.Contains(Key("", "persistentvolumes", name)));

    /// <inheritdoc />
    public bool HasSelectorService(string? ns, string name) => _selectorServices.Contains($"{ns}/{name}");

    /// <inheritdoc />
    public bool IsStrataSnapshot(string? ns, string name) => _strataSnapshots.Contains($"{ns}/{name}");

    /// <inheritdoc />
    public bool IsRecordedContent(string name) => _recordedContents.Contains(name);

    /// <inheritdoc />
    public bool HasSnapshot(string? ns, string claim) => _snapshotClaims.Contains($"{ns}/{claim}");

    /// <summary>Whether the backup holds the CRD that serves the resource, or its group is not one of Kubernetes' own.</summary>
    public bool IsCustom(string group, string resource) =>
        CustomResourceDefinitions.Contains($"{resource}.{group}") || !RestoreOrder.IsBuiltInGroup(group);

    private Selection Judge(SourceType type, ApiResource resource, KubeObject obj)
    {
        if (request.ExcludeResources.Any(resource.IsNamedBy))
        {
            return Selection.Excluded;
        }

        var named = request.IncludeResources.Count == 0 || request.IncludeResources.Any(n => n == "*" || resource.IsNamedBy(n));
        var matches = named && request.Selector.Matches(obj.Labels);
        if (type.Namespaced)
        {
            return obj.Namespace is { } ns && IncludesNamespace(ns) && matches ? Selection.Selected : Selection.Excluded;
        }

        if (type.QualifiedName == "namespaces")
        {
            // A Namespace in scope is restored even when empty; one the selector (or --include-resources)
            // leaves out still comes if its objects are restored, as the server needs it.
            return !IncludesNamespace(obj.Name) ? Selection.Excluded : matches ? Selection.Selected : Selection.IfNeeded;
        }

        // With namespaces filtered, cluster-scoped objects come only when the restored objects need them,
        // as for backups; --include-resources does not take away what the included objects need.
        return NamespacesFiltered || !matches ? Selection.IfNeeded : Selection.Selected;
    }

    private bool IncludesNamespace(string ns) =>
        (!NamespacesFiltered || request.IncludeNamespaces.Contains(ns, StringComparer.Ordinal))
        && !request.ExcludeNamespaces.Contains(ns, StringComparer.Ordinal);

    private static IEnumerable<string> OwnerUids(KubeObject obj) =>
        (obj.Metadata["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Select(o => o["uid"]?.GetValue<string>()).OfType<string>() ?? [];

    private static string Key(string group, string resource, string name) => $"{group}/{resource}/{name}";
}
