using System.Text.Json.Nodes;
using static Strata.Sandbox.Controllers.StatusFields;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// A DaemonSet's status as the daemonset controller writes it (field order of
/// <c>apps/v1 DaemonSetStatus</c>): one pod per node, scheduled at once, ready when the rollout completes.
/// </summary>
internal static class DaemonSetStatus
{
    public static JsonObject Of(JsonObject set, Rollout rollout, int nodes)
    {
        var previous = set["status"] as JsonObject;
        var ready = rollout == Rollout.Complete ? nodes : Math.Min(Int(previous?["numberReady"]), nodes);
        var status = new JsonObject
        {
            ["currentNumberScheduled"] = nodes,
            ["numberMisscheduled"] = 0,
            ["desiredNumberScheduled"] = nodes,
            ["numberReady"] = ready,
            ["observedGeneration"] = Generation(set),
        };
        Counter(status, "updatedNumberScheduled", nodes);
        Counter(status, "numberAvailable", ready);
        Counter(status, "numberUnavailable", nodes - ready);
        return status;
    }
}
