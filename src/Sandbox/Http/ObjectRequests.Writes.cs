using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Controllers;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>Updates: PUT, PATCH, and the controllers' read-modify-write.</summary>
internal sealed partial class ObjectRequests
{
    public async Task<JsonObject> ReplaceAsync(HttpContext http, RequestTarget.Objects target, string manager)
    {
        var obj = await ReadBodyAsync(http, target);
        return Update(target, obj, manager, IsDryRun(http));
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
        return Update(target, patched, manager, IsDryRun(http));
    }

    /// <summary>
    /// Reads an object, lets <paramref name="change"/> return its next form (null: leave it), and
    /// writes that through the path a client's PUT takes (to <paramref name="subresource"/>, if
    /// given), again on a conflict. Null when the object is gone or was left as it was.
    /// </summary>
    public JsonObject? Change(ResourceType type, string? ns, string name, string? subresource, Func<JsonObject, JsonObject?> change, string manager)
    {
        var target = new RequestTarget.Objects(type, type.Versions[0], ns, name, subresource);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            if (Read(type, ns, name) is not { } current || change(current) is not { } next)
            {
                return null;
            }

            try
            {
                return Update(target, next, manager, dryRun: false);
            }
            catch (ApiError e) when (e.Reason is "Conflict" or "NotFound")
            {
                // Changed (or deleted) since it was read: read it again, as a controller requeues.
            }
        }

        return null;
    }

    private JsonObject Update(RequestTarget.Objects target, JsonObject obj, string manager, bool dryRun)
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

        var version = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (metadata["resourceVersion"]?.GetValue<string>() is { Length: > 0 } rv && rv != version)
        {
            throw ApiError.Conflict(type.Key, target.Name!);
        }

        if (type.Namespaced)
        {
            metadata["namespace"] = target.Namespace;
        }

        CustomResources.Prune(type, target.VersionName, obj);
        lifecycle.PrepareUpdate(target, obj, existing, manager);
        if (target.Subresource is null)
        {
            WorkloadValidation.Validate(type, obj, target.Name!);
        }

        CustomResources.ValidateObject(type, target.VersionName, obj, target.Name!, existing);

        admission.Validate("UPDATE", target, obj, existing, dryRun);
        if (dryRun)
        {
            metadata["resourceVersion"] = version; // what would be stored, not stored
            return obj;
        }

        if (ObjectLifecycle.IsFinalized(type, obj))
        {
            // The registry's ShouldDeleteDuringUpdate: the last finalizer of a deleted object is gone, so is the object.
            _ = store.Delete(type, target.Namespace, target.Name!, stored.ResourceVersion) ?? throw ApiError.Conflict(type.Key, target.Name!);
            metadata["resourceVersion"] = version;
            Deleted(type, obj);
            return obj;
        }

        var updated = store.CompareAndPut(type, obj, stored.ResourceVersion) ?? throw ApiError.Conflict(type.Key, target.Name!);
        var result = updated.ToJson(target.ApiVersion, type.Kind);
        if (type.Key == Crds && store.FindType(result["spec"]?["group"]?.GetValue<string>() ?? string.Empty, result["spec"]?["names"]?["plural"]?.GetValue<string>() ?? string.Empty) is not null)
        {
            // A changed CRD serves its new versions and schemas at once (it was Established already).
            store.RegisterType(CustomResources.ToResourceType(result));
        }

        Written(new ObjectWrite(type, target.Subresource, result, existing));
        return result;
    }
}
