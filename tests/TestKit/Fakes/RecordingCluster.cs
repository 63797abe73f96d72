using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>
/// An in-memory <see cref="IClusterWriter"/> that behaves as an API server does where restore
/// order matters (objects need their namespace; custom resources are served only once their CRD
/// exists; names are unique) and records when each create started and finished, on one logical clock.
/// </summary>
public sealed class RecordingCluster : IClusterWriter
{
    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiResource> _custom = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Started, long Finished)> _creates = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _deletes = new();
    private long _clock;

    public static IReadOnlyList<ApiResource> BuiltIn { get; } =
    [
        R("", "namespaces", "Namespace", false), R("", "configmaps", "ConfigMap", true), R("", "secrets", "Secret", true),
        R("", "serviceaccounts", "ServiceAccount", true), R("", "services", "Service", true), R("", "pods", "Pod", true),
        R("", "persistentvolumes", "PersistentVolume", false), R("", "persistentvolumeclaims", "PersistentVolumeClaim", true),
        R("", "limitranges", "LimitRange", true), R("", "resourcequotas", "ResourceQuota", true),
        R("apps", "deployments", "Deployment", true), R("apps", "statefulsets", "StatefulSet", true), R("apps", "daemonsets", "DaemonSet", true),
        R("batch", "jobs", "Job", true), R("batch", "cronjobs", "CronJob", true),
        R("rbac.authorization.k8s.io", "roles", "Role", true), R("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true),
        R("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false), R("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false),
        R("storage.k8s.io", "storageclasses", "StorageClass", false), R("scheduling.k8s.io", "priorityclasses", "PriorityClass", false),
        R("networking.k8s.io", "ingresses", "Ingress", true), R("networking.k8s.io", "networkpolicies", "NetworkPolicy", true),
        R("autoscaling", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, "v2"), R("policy", "poddisruptionbudgets", "PodDisruptionBudget", true),
        R("admissionregistration.k8s.io", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false),
        R("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false),
    ];

    /// <summary>Answers <c>pods/exec</c>: a test binds what the command does; unbound, the exec fails as a cluster without the pod's tools would.</summary>
    public Func<Core.Commands.PodCommand, Core.Commands.CommandStreams, CancellationToken, Task<Core.Commands.CommandExit>>? Exec { get; set; }

    /// <inheritdoc />
    public Task<Core.Commands.CommandExit> ExecAsync(Core.Commands.PodCommand command, Core.Commands.CommandStreams streams, CancellationToken cancellationToken = default) =>
        Exec?.Invoke(command, streams, cancellationToken)
        ?? Task.FromResult(new Core.Commands.CommandExit(null, "", $"nothing answers exec in {command.Where} in this test"));

    /// <summary>Delay inside each create, so that creates overlap as they do over a network.</summary>
    public TimeSpan CreateLatency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Called on every read of an existing object with its live document (which it may change): the test's
    /// stand-in for the controllers that move status (a Deployment rolling out, a claim binding).
    /// </summary>
    public Action<string, JsonObject>? Controller { get; set; }

    /// <summary>
    /// A validating admission stand-in, asked on every create and merge patch, dry runs included: a message
    /// refuses the object (403, as a webhook's denial), null admits it.
    /// </summary>
    public Func<ApiResource, JsonObject, string?>? Admission { get; set; }

    /// <summary>
    /// RBAC's or a webhook's stand-in on deletes, asked with the key (<c>resource/namespace/name</c>): a message refuses the
    /// delete (403), null lets it through.
    /// </summary>
    public Func<string, string?>? DeleteDenial { get; set; }

    /// <summary>Every delete asked for, by <c>resource/namespace/name</c>, in order.</summary>
    public IReadOnlyCollection<string> Deletes => _deletes;

    /// <summary>Objects created, by <c>resource/namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> Objects => _objects;

    /// <summary>When each create started and finished, by <c>resource/namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, (long Started, long Finished)> Creates => _creates;

    public static string Key(string qualifiedResource, string? ns, string name) => $"{qualifiedResource}/{ns}/{name}";

    /// <summary>Removes an object, as if someone deleted it; false when there was none.</summary>
    public bool Remove(string qualifiedResource, string? ns, string name) => _objects.TryRemove(Key(qualifiedResource, ns, name), out _);

    public Task<ServerVersion> GetServerVersionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ServerVersion("v1.31.0", null));

    public Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new DiscoveryResult([.. BuiltIn, .. _custom.Values], []));

    public async IAsyncEnumerable<KubeObject> ListAsync(ApiResource resource, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (key, obj) in _objects.Where(o => o.Key.StartsWith(resource.QualifiedName + "/", StringComparison.Ordinal)))
        {
            yield return new KubeObject(obj.DeepClone().AsObject());
        }
    }

    public Task<KubeObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var key = Key(resource.QualifiedName, ns, name);
        if (!_objects.TryGetValue(key, out var obj))
        {
            return Task.FromResult<KubeObject?>(null);
        }

        lock (obj)
        {
            Controller?.Invoke(key, obj);
            return Task.FromResult<KubeObject?>(new KubeObject(obj.DeepClone().AsObject()));
        }
    }

    /// <summary>Deletes the object; a Namespace goes with everything in it, at once.</summary>
    public Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var key = Key(resource.QualifiedName, ns, name);
        _deletes.Enqueue(key);
        if (DeleteDenial?.Invoke(key) is { } denial)
        {
            throw new ClusterRequestException($"{resource.QualifiedName} \"{name}\" is forbidden: {denial}", 403, "Forbidden", false);
        }

        if (!_objects.TryRemove(key, out _))
        {
            return Task.FromResult(false);
        }

        if (resource.QualifiedName == "namespaces")
        {
            foreach (var inside in _objects.Keys.Where(k => k.Split('/')[1] == name))
            {
                _objects.TryRemove(inside, out _);
            }
        }

        return Task.FromResult(true);
    }

    public async Task<KubeObject> CreateAsync(ApiResource resource, string? ns, JsonObject body, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var started = Interlocked.Increment(ref _clock);
        await Task.Delay(CreateLatency, cancellationToken);
        var name = body["metadata"]!["name"]!.GetValue<string>();
        if (!BuiltIn.Contains(resource) && !_custom.ContainsKey(resource.QualifiedName))
        {
            throw new ClusterRequestException($"the server could not find the requested resource ({resource.QualifiedName})", 404, "NotFound", false);
        }

        if (ns is not null && !_objects.ContainsKey(Key("namespaces", null, ns)))
        {
            throw new ClusterRequestException($"namespaces \"{ns}\" not found", 404, "NotFound", false);
        }

        Admit(resource, body);
        var created = body.DeepClone().AsObject();
        created["metadata"]!["uid"] = Guid.NewGuid().ToString();
        if (resource.Name == "customresourcedefinitions")
        {
            created["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Established", ["status"] = "True" }) };
        }

        var key = Key(resource.QualifiedName, ns, name);
        if (dryRun)
        {
            return new KubeObject(created);
        }

        if (!_objects.TryAdd(key, created))
        {
            throw new ClusterRequestException($"{resource.QualifiedName} \"{name}\" already exists", 409, "AlreadyExists", false);
        }

        if (resource.Name == "customresourcedefinitions")
        {
            var spec = created["spec"]!;
            var served = new ApiResource(
                spec["group"]!.GetValue<string>(), spec["versions"]![0]!["name"]!.GetValue<string>(), spec["names"]!["plural"]!.GetValue<string>(),
                spec["names"]!["kind"]!.GetValue<string>(), spec["scope"]!.GetValue<string>() == "Namespaced", ["create", "get", "list", "patch"]);
            _custom[served.QualifiedName] = served;
        }

        _creates[key] = (started, Interlocked.Increment(ref _clock));
        return new KubeObject(created.DeepClone().AsObject());
    }

    public Task<KubeObject> MergePatchAsync(ApiResource resource, string? ns, string name, JsonObject patch, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        var key = Key(resource.QualifiedName, ns, name);
        if (!_objects.TryGetValue(key, out var live))
        {
            throw new ClusterRequestException($"{resource.QualifiedName} \"{name}\" not found", 404, "NotFound", false);
        }

        var merged = (JsonObject)Merge(live.DeepClone(), patch)!;
        Admit(resource, merged);
        if (!dryRun)
        {
            _objects[key] = merged;
        }

        return Task.FromResult(new KubeObject(merged.DeepClone().AsObject()));
    }

    private void Admit(ApiResource resource, JsonObject body)
    {
        if (Admission?.Invoke(resource, body) is { } denial)
        {
            throw new ClusterRequestException($"admission webhook \"policy.example.com\" denied the request: {denial}", 403, "Forbidden", false);
        }
    }

    /// <summary>RFC 7386.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name]?.DeepClone(), value);
            }
        }

        return result;
    }

    private static ApiResource R(string group, string name, string kind, bool namespaced, string version = "v1") =>
        new(group, version, name, kind, namespaced, ["create", "delete", "get", "list", "patch", "update"])
        {
            SingularName = kind.ToLowerInvariant(),
            ShortNames = name switch
            {
                "configmaps" => ["cm"],
                "persistentvolumeclaims" => ["pvc"],
                "persistentvolumes" => ["pv"],
                "deployments" => ["deploy"],
                "statefulsets" => ["sts"],
                "namespaces" => ["ns"],
                _ => [],
            },
        };
}
