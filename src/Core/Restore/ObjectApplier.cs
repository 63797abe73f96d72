using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Runs;

namespace Strata.Core.Restore;

/// <summary>
/// Applies one backed-up object to the target: filter, controller check, sanitize, remap, owner
/// references (a claim the backup holds a snapshot of: its data source), then create — and, when it exists, skip or
/// update as the policy says. Every
/// outcome is recorded; nothing is thrown for a refused object.
/// </summary>
internal sealed class ObjectApplier(
    IClusterWriter target, RestoreRequest request, RestoreSelection selection, Snapshots.ClaimsFromSnapshots? snapshots = null, Encryption.DataKey? secretValuesKey = null)
{
    private readonly ConcurrentQueue<RestoreItemResult> _results = new();
    private readonly ConcurrentDictionary<string, string> _newUids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<DeferredOwners> _deferred = new();
    private readonly ConcurrentDictionary<string, bool> _dryRunCreated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _disarmed = new(StringComparer.Ordinal);
    private long _excluded;

    public IEnumerable<RestoreItemResult> Results => _results;

    /// <summary>Cluster-scoped objects left out because nothing restored needs them.</summary>
    public long NotNeeded => Interlocked.Read(ref _excluded);

    /// <summary>Objects created or updated with a change of <see cref="RestoreRequest.DisarmExternalEffects"/>, per change.</summary>
    public IReadOnlyDictionary<string, long> Disarmed => _disarmed;

    /// <summary>Old uid → uid in the target, for the objects other objects own.</summary>
    public IReadOnlyDictionary<string, string> NewUids => _newUids;

    /// <summary>Names of CRDs this restore created (or, in a dry run, would create).</summary>
    public IEnumerable<string> CreatedDefinitions => _results
        .Where(r => r.Resource == RestoreOrder.CustomResourceDefinitions && r.Outcome is RestoreItemOutcome.Created or RestoreItemOutcome.Updated)
        .Select(r => r.Name);

    /// <summary>Whether a dry run would create namespace <paramref name="ns"/> (objects in it cannot be validated).</summary>
    public bool CreatesNamespace(string ns) => _dryRunCreated.ContainsKey($"ns:{ns}");

    /// <summary>Records a document of the archive that is not a JSON object.</summary>
    public void RecordUnreadable(SourceType type, Artifacts.ResourceEntryPath path) =>
        _results.Enqueue(new RestoreItemResult(type.QualifiedName, path.Namespace, path.Name, RestoreItemOutcome.Failed, "the document is not a JSON object"));

    /// <summary>Whether documents of <paramref name="type"/> are <c>core/v1</c> Secrets, whose values a backup may have encrypted.</summary>
    public static bool IsSecret(SourceType type) => type.QualifiedName == "secrets" && type.Version == "v1";

    public async Task ApplyAsync(SourceType type, TypeResolution resolution, SpooledDocument spooled, CancellationToken cancellationToken)
    {
        var path = spooled.Path;
        var targetNs = path.Namespace is { } sourceNs ? request.NamespaceMapping.Map(sourceNs) : null;
        var targetName = type.QualifiedName == "namespaces" ? request.NamespaceMapping.Map(path.Name) : path.Name;
        void Record(RestoreItemOutcome outcome, string? message = null) =>
            _results.Enqueue(new RestoreItemResult(type.QualifiedName, targetNs, targetName, outcome, message));

        KubeObject obj;
        try
        {
            obj = new KubeObject(JsonNode.Parse(spooled.Document, documentOptions: new JsonDocumentOptions { MaxDepth = Artifacts.ArchiveLimits.Default.MaxJsonDepth }) as JsonObject ?? throw new JsonException("not a JSON object"));
        }
        catch (JsonException e)
        {
            Record(RestoreItemOutcome.Failed, $"unreadable document {path.Group}/{path.Resource}: {e.Message}");
            return;
        }

        if (obj.Name != path.Name || obj.Namespace != path.Namespace)
        {
            Record(RestoreItemOutcome.Failed, $"the document names {obj.Key}, its path {path.Namespace}/{path.Name}");
            return;
        }

        if (secretValuesKey is not null && IsSecret(type))
        {
            // Every token was checked as the archive was read (nothing is applied before they all decrypt); the
            // plaintext exists only here, on its way to the target, never in the spool.
            try
            {
                Encryption.SecretValues.DecryptInPlace(obj, spooled.RawPath, secretValuesKey);
            }
            catch (Encryption.ArtifactDecryptionException e)
            {
                Record(RestoreItemOutcome.Failed, e.Message);
                return;
            }
        }

        if (!spooled.Selected && !selection.IsNeeded(type, obj.Name))
        {
            Interlocked.Increment(ref _excluded);
            return;
        }

        if (RecreatedByControllers.Reason(type.QualifiedName, obj, selection) is { } recreated)
        {
            Record(RestoreItemOutcome.SkippedRecreated, recreated);
            return;
        }

        if (resolution.Target is not { } resource)
        {
            if (request.DryRun && _dryRunCreated.ContainsKey($"crd:{type.Resource}.{type.Group}"))
            {
                Record(RestoreItemOutcome.Created, RestoreItemResult.NotValidatedPrefix + "its CustomResourceDefinition is created by this restore, which a dry run does not do");
            }
            else
            {
                Record(RestoreItemOutcome.SkippedUnsupported, resolution.Note);
            }

            return;
        }

        var oldUid = obj.Uid;
        var body = obj.Json;
        RestoreSanitizer.Sanitize(type.QualifiedName, body, selection.IsRestored, selection.IsVolumeRestored);
        if (request.ReallocateNodePorts && type.QualifiedName == "services")
        {
            RestoreSanitizer.DropNodePorts(body);
        }

        var disarmed = request.DisarmExternalEffects ? RestoreSanitizer.Disarm(type.QualifiedName, body) : [];

        request.NamespaceMapping.Rewrite(type.QualifiedName, body);
        body["apiVersion"] = resource.ApiVersion;
        var deferred = RelinkOwners(obj.Metadata);

        string? fromSnapshot = null;
        if (type.QualifiedName == "persistentvolumeclaims" && path.Namespace is { } claimNs && snapshots?.For(claimNs, path.Name) is { } source)
        {
            if (source.Failure is { } failure)
            {
                Record(RestoreItemOutcome.Failed, failure);
                return;
            }

            fromSnapshot = snapshots.Rewrite(body, source, targetNs!, targetName);
        }

        var outcome = await CreateOrHandleExistingAsync(resource, targetNs, targetName, body, oldUid, cancellationToken);
        Record(outcome.Outcome, outcome.Message ?? (outcome.Outcome == RestoreItemOutcome.Created ? fromSnapshot : null));
        if (fromSnapshot is not null && outcome.Outcome == RestoreItemOutcome.Created)
        {
            snapshots!.Created();
        }
        if (outcome.Outcome is RestoreItemOutcome.Created or RestoreItemOutcome.Updated)
        {
            foreach (var change in disarmed)
            {
                _disarmed.AddOrUpdate(change, 1, (_, n) => n + 1);
            }
        }

        if (deferred is not null && outcome.Outcome is RestoreItemOutcome.Created or RestoreItemOutcome.Updated && !request.DryRun)
        {
            _deferred.Enqueue(new DeferredOwners(resource, targetNs, targetName, deferred));
        }
    }

    /// <summary>Adds the owner references that had to wait for their owners to be created.</summary>
    public async Task<List<(string Resource, string? Namespace, string Name, string Message)>> RelinkDeferredOwnersAsync(CancellationToken cancellationToken)
    {
        var problems = new List<(string, string?, string, string)>();
        while (_deferred.TryDequeue(out var item))
        {
            var owners = item.Owners.Select(o => o.DeepClone().AsObject())
                .Where(o => o["uid"]?.GetValue<string>() is { } uid && _newUids.ContainsKey(uid))
                .ToList();
            if (owners.Count == 0)
            {
                continue;
            }

            foreach (var owner in owners)
            {
                owner["uid"] = _newUids[owner["uid"]!.GetValue<string>()];
            }

            try
            {
                var live = await target.GetAsync(item.Resource, item.Namespace, item.Name, cancellationToken);
                if (live is null)
                {
                    continue;
                }

                var all = new JsonArray();
                foreach (var existing in (live.Metadata["ownerReferences"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    all.Add(existing.DeepClone());
                }

                foreach (var owner in owners)
                {
                    all.Add(owner);
                }

                var patch = new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = all } };
                await target.MergePatchAsync(item.Resource, item.Namespace, item.Name, patch, cancellationToken: cancellationToken);
            }
            catch (ClusterRequestException e)
            {
                problems.Add((item.Resource.QualifiedName, item.Namespace, item.Name, $"owner references could not be restored: {e.Message}"));
            }
        }

        return problems;
    }

    /// <summary>
    /// Points owner references at the owners' new uids. References to owners not created yet
    /// are taken out and returned, to be added once the owners exist.
    /// </summary>
    private List<JsonObject>? RelinkOwners(JsonObject metadata)
    {
        if (metadata["ownerReferences"] is not JsonArray owners)
        {
            return null;
        }

        List<JsonObject>? later = null;
        for (var i = owners.Count - 1; i >= 0; i--)
        {
            var owner = owners[i]!.AsObject();
            var uid = owner["uid"]!.GetValue<string>();
            if (_newUids.TryGetValue(uid, out var newUid))
            {
                owner["uid"] = newUid;
            }
            else
            {
                owners.RemoveAt(i);
                (later ??= []).Add(owner);
            }
        }

        if (owners.Count == 0)
        {
            metadata.Remove("ownerReferences");
        }

        return later;
    }

    private async Task<(RestoreItemOutcome Outcome, string? Message)> CreateOrHandleExistingAsync(
        ApiResource resource, string? ns, string name, JsonObject body, string? oldUid, CancellationToken cancellationToken)
    {
        try
        {
            var created = await target.CreateAsync(resource, ns, body, request.DryRun, cancellationToken);
            Remember(oldUid, created);
            if (request.DryRun && DryRunKey(resource, name) is { } key)
            {
                _dryRunCreated[key] = true;
            }

            return (RestoreItemOutcome.Created, null);
        }
        catch (ClusterRequestException e) when (e.Reason == "AlreadyExists")
        {
            return await HandleExistingAsync(resource, ns, name, body, oldUid, cancellationToken);
        }
        catch (ClusterRequestException e) when (request.DryRun && e.StatusCode == 404 && ns is not null && _dryRunCreated.ContainsKey($"ns:{ns}"))
        {
            return (RestoreItemOutcome.Created, RestoreItemResult.NotValidatedPrefix + "its namespace is created by this restore, which a dry run does not do");
        }
        catch (ClusterRequestException e)
        {
            return (RestoreItemOutcome.Failed, e.Message);
        }
    }

    private async Task<(RestoreItemOutcome, string?)> HandleExistingAsync(
        ApiResource resource, string? ns, string name, JsonObject body, string? oldUid, CancellationToken cancellationToken)
    {
        try
        {
            if (request.ExistingResourcePolicy == ExistingResourcePolicy.Skip)
            {
                if (oldUid is not null && selection.ReferencedOwners.Contains(oldUid)
                    && await target.GetAsync(resource, ns, name, cancellationToken) is { } live)
                {
                    Remember(oldUid, live); // restored dependents are owned by the live object
                }

                return (RestoreItemOutcome.SkippedExisting, "exists in the target; left as it is");
            }

            var updated = await target.MergePatchAsync(resource, ns, name, body, request.DryRun, cancellationToken);
            Remember(oldUid, updated);
            return (RestoreItemOutcome.Updated, null);
        }
        catch (ClusterRequestException e)
        {
            return (RestoreItemOutcome.Failed, e.Message);
        }
    }

    private void Remember(string? oldUid, KubeObject live)
    {
        if (oldUid is not null && live.Uid is { } uid && selection.ReferencedOwners.Contains(oldUid))
        {
            _newUids[oldUid] = uid;
        }
    }

    /// <summary>Namespaces and CRDs a dry run would create: objects that need them cannot be validated.</summary>
    private static string? DryRunKey(ApiResource resource, string name) => resource.QualifiedName switch
    {
        "namespaces" => $"ns:{name}",
        RestoreOrder.CustomResourceDefinitions => $"crd:{name}",
        _ => null,
    };

    private sealed record DeferredOwners(ApiResource Resource, string? Namespace, string Name, List<JsonObject> Owners);
}
