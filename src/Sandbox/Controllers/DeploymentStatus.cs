using System.Text.Json.Nodes;
using static Strata.Sandbox.Controllers.StatusFields;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// A Deployment's status as the deployment controller writes it, in the field order of
/// <c>apps/v1 DeploymentStatus</c>, with its Available and Progressing conditions.
/// </summary>
internal static class DeploymentStatus
{
    public static JsonObject Of(JsonObject deployment, Rollout rollout, string now)
    {
        var previous = deployment["status"] as JsonObject;
        var desired = Replicas(deployment);
        var replicaSet = $"{deployment["metadata"]!["name"]!.GetValue<string>()}-{TemplateHash.Of(deployment["spec"]?["template"])}";
        // While a changed template rolls out, the old pods keep serving.
        var wasAvailable = Conditions.StatusOf(previous, "Available") == "True";
        var available = rollout == Rollout.Complete || desired == 0 ? desired
            : wasAvailable ? Math.Min(Int(previous?["availableReplicas"]), desired) : 0;
        var status = new JsonObject { ["observedGeneration"] = Generation(deployment) };
        Counter(status, "replicas", desired);
        Counter(status, "updatedReplicas", desired);
        Counter(status, "readyReplicas", available);
        Counter(status, "availableReplicas", available);
        Counter(status, "unavailableReplicas", desired - available);
        status["conditions"] = previous?["conditions"]?.DeepClone() ?? new JsonArray();
        if (available == desired || wasAvailable)
        {
            Conditions.Set(status, Conditions.Style.UpdateTime, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now);
        }
        else
        {
            Conditions.Set(status, Conditions.Style.UpdateTime, "Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now);
        }

        var (progressing, reason, message) = rollout switch
        {
            _ when desired == 0 || rollout == Rollout.Complete => ("True", "NewReplicaSetAvailable", $"ReplicaSet \"{replicaSet}\" has successfully progressed."),
            Rollout.Stalled => ("False", "ProgressDeadlineExceeded", $"ReplicaSet \"{replicaSet}\" has timed out progressing."),
            _ => ("True", "ReplicaSetUpdated", $"ReplicaSet \"{replicaSet}\" is progressing."),
        };
        Conditions.Set(status, Conditions.Style.UpdateTime, "Progressing", progressing, reason, message, now);
        return status;
    }
}
