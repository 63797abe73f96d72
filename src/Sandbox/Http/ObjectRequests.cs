using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>get, create, update, patch and delete of single objects, with <c>dryRun=All</c>.</summary>
internal sealed class ObjectRequests(ObjectStore store, ObjectLifecycle lifecycle, SandboxOptions options)
{
    public JsonObject Get(RequestTarget.Objects target)
    {
        var stored = Find(target);
        return stored.ToJson(target.ApiVersion, target.Type.Kind);
    }

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
    /// Creates <paramref name="obj"/> in the namespace of <paramref name="target"/>: the one path
    /// for HTTP requests and for seeding, so both get the same server-set fields.
    /// </summary>
    public JsonObject Create(RequestTarget.Objects target, JsonObject obj, string manager, bool dryRun)
    {
        var type = target.Type;
        var metadata = ObjectLifecycle.Metadata(obj);
        if (target.Namespace is { } ns)
        {
            metadata["namespace"] = ns;
            if (store.Get(store.FindType("", "namespaces")!, null, ns) is null)
            {
                throw ApiError.NotFound("namespaces", ns);
            }
        }
        else
        {
            metadata.Remove("namespace");
        }

        lifecycle.PrepareCreate(target, obj, manager);
        var name = metadata["name"]!.GetValue<string>();
        if (store.Get(type, target.Namespace, name) is not null)
        {
            throw ApiError.AlreadyExists(type.Key, name);
        }

        if (dryRun)
        {
            return obj;
        }

        if (type.Key == "customresourcedefinitions.apiextensions.k8s.io" && options.CrdEstablishDelay > TimeSpan.Zero)
        {
            // As a real server: the new resource is served only once the CRD is Established.
            CustomResources.MarkInstalling(obj);
            var installing = store.Put(type, obj);
            _ = EstablishLaterAsync(type, name);
            return installing.ToJson(target.ApiVersion, type.Kind);
        }

        var stored = store.Put(type, obj);
        if (type.Key == "customresourcedefinitions.apiextensions.k8s.io")
        {
            store.RegisterType(CustomResources.ToResourceType(obj));
        }

        return stored.ToJson(target.ApiVersion, type.Kind);
    }

    private async Task EstablishLaterAsync(ResourceType type, string name)
    {
        await Task.Delay(options.CrdEstablishDelay, options.Time);
        if (store.Get(type, null, name) is not { } stored)
        {
            return;
        }

        var crd = stored.ToJson(ResourceType.GroupVersion(type.Group, type.Versions[0]), type.Kind);
        CustomResources.MarkEstablished(crd, options.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        store.Put(type, crd);
        store.RegisterType(CustomResources.ToResourceType(crd));
    }

    public async Task<JsonObject> ReplaceAsync(HttpContext http, RequestTarget.Objects target, string manager)
    {
        var obj = await ReadBodyAsync(http, target);
        return Update(http, target, obj, manager);
    }

    public async Task<JsonObject> PatchAsync(HttpContext http, RequestTarget.Objects target, string manager)
    {
        var existing = Find(target).ToJson(target.ApiVersion, target.Type.Kind);
        JsonNode patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted)
                ?? throw ApiError.BadRequest("empty patch");
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"error decoding patch: {e.Message}");
        }

        var patched = Patching.Apply(http.Request.ContentType ?? string.Empty, existing.DeepClone().AsObject(), patch);
        return Update(http, target, patched, manager);
    }

    public JsonObject Delete(HttpContext http, RequestTarget.Objects target)
    {
        var type = target.Type;
        var stored = Find(target);
        if (!IsDryRun(http))
        {
            store.Delete(type, target.Namespace, stored.Name);
            if (type.Key == "namespaces")
            {
                store.DeleteNamespaceContents(stored.Name);
            }
            else if (type.Key == "customresourcedefinitions.apiextensions.k8s.io")
            {
                store.RemoveType(stored.Name);
            }
        }

        if (type.ReturnsDeletedObject)
        {
            return stored.ToJson(target.ApiVersion, type.Kind);
        }

        var details = new JsonObject { ["name"] = stored.Name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        details["uid"] = stored.Uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    private JsonObject Update(HttpContext http, RequestTarget.Objects target, JsonObject obj, string manager)
    {
        var type = target.Type;
        var stored = Find(target);
        var existing = stored.ToJson(target.ApiVersion, type.Kind);
        var metadata = ObjectLifecycle.Metadata(obj);
        var name = metadata["name"]?.GetValue<string>();
        if (name != target.Name)
        {
            throw ApiError.BadRequest($"the name of the object ({name}) does not match the name on the URL ({target.Name})");
        }

        if (metadata["resourceVersion"]?.GetValue<string>() is { Length: > 0 } rv && rv != stored.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw ApiError.Conflict(type.Key, target.Name!);
        }

        if (type.Namespaced)
        {
            metadata["namespace"] = target.Namespace;
        }

        lifecycle.PrepareUpdate(target, obj, existing, manager);
        if (IsDryRun(http))
        {
            return obj;
        }

        var updated = store.CompareAndPut(type, obj, stored.ResourceVersion) ?? throw ApiError.Conflict(type.Key, target.Name!);
        return updated.ToJson(target.ApiVersion, type.Kind);
    }

    private StoredObject Find(RequestTarget.Objects target) =>
        store.Get(target.Type, target.Namespace, target.Name!) ?? throw ApiError.NotFound(target.Type.Key, target.Name!);

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
