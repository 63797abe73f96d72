using System.Text.Json.Nodes;
using static Strata.Sandbox.Controllers.StatusFields;

namespace Strata.Sandbox.Controllers;

/// <summary>A ReplicaSet's status as the replicaset controller writes it (field order of <c>apps/v1 ReplicaSetStatus</c>).</summary>
internal static class ReplicaSetStatus
{
    public static JsonObject Of(JsonObject set, Rollout rollout)
    {
        var desired = Replicas(set);
        var ready = rollout == Rollout.Complete ? desired : 0;
        var status = new JsonObject { ["replicas"] = desired };
        Counter(status, "fullyLabeledReplicas", desired);
        Counter(status, "readyReplicas", ready);
        Counter(status, "availableReplicas", ready);
        status["observedGeneration"] = Generation(set);
        return status;
    }
}
