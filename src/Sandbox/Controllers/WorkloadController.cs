using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The deployment, statefulset, daemonset and replicaset controllers, simulated: when a workload
/// is created or its spec changes (its generation moves), its status reports the rollout at once
/// and, after <see cref="SimulatedControllers.WorkloadReadyDelay"/>, every pod ready, or, for a
/// <see cref="SimulatedControllers.NeverReady"/> workload, a stalled rollout. Status goes through
/// the status subresource, as the real controllers write it.
/// </summary>
internal sealed class WorkloadController(ObjectRequests objects, ControllerQueue queue, SimulatedControllers settings, TimeProvider time) : IObjectObserver
{
    private const string Manager = "kube-controller-manager";

    public void Written(ObjectWrite write)
    {
        if (write.Subresource is not null || write.Type.Key is not ("deployments.apps" or "statefulsets.apps" or "daemonsets.apps" or "replicasets.apps"))
        {
            return;
        }

        var generation = StatusFields.Generation(write.Object);
        if (!write.IsCreate && StatusFields.Generation(write.Previous!) == generation)
        {
            return;
        }

        var metadata = write.Object["metadata"]!;
        var (ns, name, uid) = (metadata["namespace"]?.GetValue<string>(), metadata["name"]!.GetValue<string>(), metadata["uid"]!.GetValue<string>());
        if (settings.WorkloadReadyDelay > TimeSpan.Zero)
        {
            queue.AddAfter(TimeSpan.Zero, () => Report(write.Type, ns, name, uid, generation, settled: false));
        }

        queue.AddAfter(settings.WorkloadReadyDelay, () => Report(write.Type, ns, name, uid, generation, settled: true));
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
    }

    private void Report(ResourceType type, string? ns, string name, string uid, long generation, bool settled) =>
        objects.Change(type, ns, name, "status", workload =>
        {
            if (workload["metadata"]!["uid"]?.GetValue<string>() != uid || StatusFields.Generation(workload) != generation)
            {
                return null; // deleted and recreated, or changed again: a newer report is queued
            }

            var rollout = !settled ? Rollout.Progressing
                : settings.NeverReady?.Invoke(SandboxObject.From(workload)) == true ? Rollout.Stalled
                : Rollout.Complete;
            workload["status"] = type.Kind switch
            {
                "Deployment" => DeploymentStatus.Of(workload, rollout, Timestamps.Now(time)),
                "StatefulSet" => StatefulSetStatus.Of(workload, rollout),
                "DaemonSet" => DaemonSetStatus.Of(workload, rollout, settings.NodeCount),
                _ => ReplicaSetStatus.Of(workload, rollout),
            };
            return workload;
        }, Manager);
}
