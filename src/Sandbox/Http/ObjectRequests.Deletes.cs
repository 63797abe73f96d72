using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Strata.Sandbox.Controllers;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>Deletes, and a namespace's deletion as the namespace registry does it.</summary>
internal sealed partial class ObjectRequests
{
    public JsonObject Delete(HttpContext http, RequestTarget.Objects target) => Delete(target, IsDryRun(http));

    public JsonObject Delete(RequestTarget.Objects target, bool dryRun)
    {
        var type = target.Type;
        var stored = Find(target);
        AdmissionChain.AdmitDelete(target);
        var obj = stored.ToJson(target.ApiVersion, type.Kind);
        if (type.Key == "namespaces")
        {
            return DeleteNamespace(target, stored, obj, dryRun);
        }

        if (!dryRun && store.Delete(type, target.Namespace, stored.Name) is not null)
        {
            if (type.Key == Crds)
            {
                store.RemoveType(stored.Name);
            }

            Deleted(type, obj);
        }

        if (type.ReturnsDeletedObject)
        {
            return obj;
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

    /// <summary>
    /// The first DELETE marks the namespace (deletionTimestamp, phase Terminating) and answers with
    /// it; the namespace controller then empties it and removes its <c>kubernetes</c> finalizer,
    /// which deletes it. A DELETE while the finalizer is there answers with the namespace as it is.
    /// </summary>
    private JsonObject DeleteNamespace(RequestTarget.Objects target, StoredObject stored, JsonObject ns, bool dryRun)
    {
        var type = target.Type;
        var metadata = ObjectLifecycle.Metadata(ns);
        if (metadata["deletionTimestamp"] is null)
        {
            metadata["deletionTimestamp"] = Timestamps.Now(options.Time);
            ns["status"] = new JsonObject { ["phase"] = "Terminating" };
            if (dryRun)
            {
                return ns;
            }

            var marked = store.CompareAndPut(type, ns, stored.ResourceVersion) ?? throw ApiError.Conflict(type.Key, stored.Name);
            var result = marked.ToJson(target.ApiVersion, type.Kind);
            Written(new ObjectWrite(type, null, result, stored.ToJson(target.ApiVersion, type.Kind)));
            return result;
        }

        if (ns["spec"]?["finalizers"] is JsonArray { Count: > 0 } || metadata["finalizers"] is JsonArray { Count: > 0 } || dryRun)
        {
            return ns;
        }

        _ = store.Delete(type, null, stored.Name, stored.ResourceVersion) ?? throw ApiError.Conflict(type.Key, stored.Name);
        metadata["resourceVersion"] = stored.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        Deleted(type, ns);
        return ns;
    }

    /// <summary>What the namespace controller deletes: every object in <paramref name="ns"/>, each told to the controllers.</summary>
    public int DeleteNamespaceContents(string ns)
    {
        var removed = store.DeleteNamespaceContents(ns);
        foreach (var (type, obj) in removed)
        {
            Deleted(type, obj.ToJson(ResourceType.GroupVersion(type.Group, type.Versions[0]), type.Kind));
        }

        return removed.Count;
    }

    /// <summary>Deletes one object (for controllers: a reclaimed volume); false when it was not there.</summary>
    public bool DeleteObject(ResourceType type, string? ns, string name)
    {
        if (store.Delete(type, ns, name) is not { } removed)
        {
            return false;
        }

        Deleted(type, removed.ToJson(ResourceType.GroupVersion(type.Group, type.Versions[0]), type.Kind));
        return true;
    }
}
