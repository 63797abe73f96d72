using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The namespace controller (always running, as it is part of every cluster): once a namespace is
/// marked for deletion it waits <see cref="SandboxOptions.NamespaceDeletionDelay"/>, deletes the
/// namespace's contents, writes the deletion conditions, and removes the <c>kubernetes</c>
/// finalizer through the finalize subresource; with no other finalizer left, that deletes it.
/// </summary>
internal sealed class NamespaceController(ObjectRequests objects, ControllerQueue queue, TimeSpan delay, TimeProvider time) : IObjectObserver
{
    private const string Manager = "kube-controller-manager";

    private static readonly (string Type, string Reason, string Message)[] Settled =
    [
        ("NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered", "All resources successfully discovered"),
        ("NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
        ("NamespaceDeletionContentFailure", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
        ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
        ("NamespaceFinalizersRemaining", "ContentRemoved", "All content successfully removed"),
    ];

    public void Written(ObjectWrite write)
    {
        if (write.Type.Key != "namespaces" || write.Object["metadata"]?["deletionTimestamp"] is null
            || write.Previous?["metadata"]?["deletionTimestamp"] is not null)
        {
            return;
        }

        var (name, uid) = (write.Object["metadata"]!["name"]!.GetValue<string>(), write.Object["metadata"]!["uid"]!.GetValue<string>());
        queue.AddAfter(delay, () => Finalize(write.Type, name, uid));
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
    }

    private void Finalize(ResourceType type, string name, string uid)
    {
        if (objects.Read(type, null, name) is not { } ns || ns["metadata"]!["uid"]?.GetValue<string>() != uid)
        {
            return;
        }

        objects.DeleteNamespaceContents(name);
        objects.Change(type, null, name, "status", current =>
        {
            var status = current["status"] as JsonObject ?? [];
            var now = Timestamps.Now(time);
            foreach (var (condition, reason, message) in Settled)
            {
                Conditions.Set(status, Conditions.Style.TransitionTime, condition, "False", reason, message, now);
            }

            current["status"] = status;
            return current;
        }, Manager);
        objects.Change(type, null, name, "finalize", current =>
        {
            var finalizers = current["spec"]?["finalizers"] as JsonArray ?? [];
            var kept = new JsonArray([.. finalizers.Where(f => f?.GetValue<string>() != "kubernetes").Select(f => f?.DeepClone())]);
            current["spec"] = new JsonObject { ["finalizers"] = kept };
            return current;
        }, Manager);
    }
}
