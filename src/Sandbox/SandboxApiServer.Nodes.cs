using System.Text.Json.Nodes;

namespace Strata.Sandbox;

/// <summary>Nodes, as a cluster's would be listed.</summary>
public sealed partial class SandboxApiServer
{
    /// <summary>
    /// Creates the node <paramref name="name"/>: a kubeadm control-plane node (its role label and
    /// <c>NoSchedule</c> taint) or a worker, reporting <c>Ready</c> (or <c>NotReady</c>, as a node whose kubelet stopped posting).
    /// </summary>
    public JsonObject CreateNode(string name, bool controlPlane = false, bool ready = true)
    {
        var labels = new JsonObject
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        var spec = new JsonObject();
        if (controlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            spec["taints"] = new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" });
        }

        var now = Http.Timestamps.Now(Time);
        var condition = ready
            ? new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status" }
            : new JsonObject { ["type"] = "Ready", ["status"] = "Unknown", ["reason"] = "NodeStatusUnknown", ["message"] = "Kubelet stopped posting node status." };
        condition["lastHeartbeatTime"] = now;
        condition["lastTransitionTime"] = now;
        return Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(condition),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = Options.GitVersion, ["operatingSystem"] = "linux", ["architecture"] = "amd64" },
            },
        });
    }
}
