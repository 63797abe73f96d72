using System.Text.Json.Nodes;
using static Strata.Sandbox.Controllers.StatusFields;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// A StatefulSet's status as the statefulset controller writes it (field order of
/// <c>apps/v1 StatefulSetStatus</c>): revisions named after the template, pods started one at a
/// time (OrderedReady) or all at once (Parallel), none ready until the rollout completes.
/// </summary>
internal static class StatefulSetStatus
{
    public static JsonObject Of(JsonObject set, Rollout rollout)
    {
        var previous = set["status"] as JsonObject;
        var desired = Replicas(set);
        var revision = $"{set["metadata"]!["name"]!.GetValue<string>()}-{TemplateHash.Of(set["spec"]?["template"])}";
        var current = previous?["currentRevision"]?.GetValue<string>();
        long replicas, ready, currentReplicas, updated;
        if (rollout == Rollout.Complete || desired == 0)
        {
            (replicas, ready, currentReplicas, updated, current) = (desired, desired, desired, desired, revision);
        }
        else if (current is null)
        {
            // A new set: OrderedReady starts pod 0 and waits for it to be ready before the next.
            var started = set["spec"]?["podManagementPolicy"]?.GetValue<string>() == "Parallel" ? desired : Math.Min(1, desired);
            (replicas, ready, currentReplicas, updated, current) = (started, 0, started, started, revision);
        }
        else
        {
            // A changed set: the pods of the current revision keep running until replaced.
            ready = Math.Min(Int(previous?["readyReplicas"]), desired);
            (replicas, currentReplicas, updated) = (desired, current == revision ? desired : ready, current == revision ? desired : 0);
        }

        var status = new JsonObject { ["observedGeneration"] = Generation(set), ["replicas"] = replicas };
        Counter(status, "readyReplicas", ready);
        Counter(status, "currentReplicas", currentReplicas);
        Counter(status, "updatedReplicas", updated);
        status["currentRevision"] = current;
        status["updateRevision"] = revision;
        status["collisionCount"] = 0;
        status["availableReplicas"] = ready;
        return status;
    }
}
