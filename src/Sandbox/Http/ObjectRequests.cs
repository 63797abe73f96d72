using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Controllers;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>
/// get, create, update, patch and delete of single objects, with <c>dryRun=All</c>: one path for
/// HTTP requests, direct seeding and the simulated controllers, so all get the same server-set
/// fields, validation and admission, and every accepted write is told to the controllers.
/// </summary>
internal sealed partial class ObjectRequests(ObjectStore store, ObjectLifecycle lifecycle, AdmissionChain admission, SandboxOptions options)
{
    private const string Crds = "customresourcedefinitions.apiextensions.k8s.io";
    private readonly List<IObjectObserver> _observers = [];

    /// <summary>Adds a controller (while the server is built, before it serves).</summary>
    public void Observe(IObjectObserver observer) => _observers.Add(observer);

    public JsonObject Get(RequestTarget.Objects target)
    {
        var stored = Find(target);
        return stored.ToJson(target.ApiVersion, target.Type.Kind);
    }

    /// <summary>The object, or null when it does not exist (for controllers).</summary>
    public JsonObject? Read(ResourceType type, string? ns, string name) =>
        store.Get(type, ns, name)?.ToJson(ResourceType.GroupVersion(type.Group, type.Versions[0]), type.Kind);

    public async Task<JsonObject> CreateAsync(HttpContext http, RequestTarget.Objects target, string manager)
    {
        var obj = await ReadBodyAsync(http, target);
        if (target.Type.Namespaced && target.Namespace is null)
        {
            throw ApiError.BadRequest($"the server could not find the requested resource (a namespace is required for {target.Type.Key})");
        }

        var bodyNs = ObjectLifecycle.Metadata(obj)["namespace"]?.GetValue<string>();
        if (target.Type.Namespaced && bodyNs is { Length: > 0 } && bodyNs != target.Namespace)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        return Create(target, obj, manager, IsDryRun(http));
    }

    /// <summary>
    /// Creates <paramref name="obj"/> in the namespace of <paramref name="target"/>, in the real
    /// server's order: admission that may refuse or default (namespace lifecycle), server-set
    /// fields, validation, validating admission, then the store (or, on a dry run, nothing).
    /// A <paramref name="seed"/> skips the configured admission rules: it is state that predates them.
    /// </summary>
    public JsonObject Create(RequestTarget.Objects target, JsonObject obj, string manager, bool dryRun, bool seed = false)
    {
        var type = target.Type;
        var metadata = ObjectLifecycle.Metadata(obj);
        if (target.Namespace is { } ns)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        admission.AdmitCreate(target, obj);
        CustomResources.Prune(type, target.VersionName, obj);
        lifecycle.PrepareCreate(target, obj, manager);
        var name = metadata["name"]!.GetValue<string>();
        WorkloadValidation.Validate(type, obj, name);
        CustomResources.ValidateObject(type, target.VersionName, obj, name);
        if (!seed)
        {
            admission.Validate("CREATE", target, obj, null, dryRun);
        }

        if (store.Get(type, target.Namespace, name) is { } existing)
        {
            var exists = ApiError.AlreadyExists(type.Key, name);
            throw existing.ToJson(target.ApiVersion, type.Kind)["metadata"]?["deletionTimestamp"] is null
                ? exists
                : new ApiError(exists.Code, exists.Reason, $"object is being deleted: {exists.Message}", exists.Details);
        }

        if (dryRun)
        {
            return obj;
        }

        if (type.Key == Crds && options.CrdEstablishDelay > TimeSpan.Zero)
        {
            // As a real server: the new resource is served only once the CRD is Established.
            CustomResources.MarkInstalling(obj);
            var installing = store.Put(type, obj);
            _ = EstablishLaterAsync(type, name);
            return installing.ToJson(target.ApiVersion, type.Kind);
        }

        var stored = store.Put(type, obj);
        if (type.Key == Crds)
        {
            store.RegisterType(CustomResources.ToResourceType(obj));
        }

        var created = stored.ToJson(target.ApiVersion, type.Kind);
        Written(new ObjectWrite(type, null, created, null));
        return created;
    }

    private async Task EstablishLaterAsync(ResourceType type, string name)
    {
        await Task.Delay(options.CrdEstablishDelay, options.Time);
        if (store.Get(type, null, name) is not { } stored)
        {
            return;
        }

        var crd = stored.ToJson(ResourceType.GroupVersion(type.Group, type.Versions[0]), type.Kind);
        CustomResources.MarkEstablished(crd, Timestamps.Now(options.Time));
        store.Put(type, crd);
        store.RegisterType(CustomResources.ToResourceType(crd));
    }

    private StoredObject Find(RequestTarget.Objects target) =>
        store.Get(target.Type, target.Namespace, target.Name!) ?? throw ApiError.NotFound(target.Type.Key, target.Name!);

    private void Written(ObjectWrite write)
    {
        foreach (var observer in _observers)
        {
            observer.Written(write);
        }
    }

    private void Deleted(ResourceType type, JsonObject obj)
    {
        foreach (var observer in _observers)
        {
            observer.Deleted(type, obj);
        }
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext http, RequestTarget.Objects target)
    {
        JsonObject obj;
        try
        {
            obj = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject
                ?? throw ApiError.BadRequest("Object 'Kind' is missing in the request body");
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
        }

        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (kind is not null && kind != target.Type.Kind)
        {
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({target.Type.Kind})");
        }

        if (apiVersion is not null && apiVersion != target.ApiVersion)
        {
            throw ApiError.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({target.ApiVersion})");
        }

        obj["apiVersion"] = target.ApiVersion;
        obj["kind"] = target.Type.Kind;
        return obj;
    }

    internal static bool IsDryRun(HttpContext http) => http.Request.Query["dryRun"].Contains("All");
}
