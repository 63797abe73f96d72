using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The kubelets, simulated (<see cref="SimulatedKubelet"/>): a Pod created on a node without a status is admitted
/// (<c>Pending</c>, <c>ContainerCreating</c>), then runs after the delay — or fails, or waits on <c>ErrImagePull</c> —
/// with the status fields a 1.31 kubelet writes; at <c>activeDeadlineSeconds</c> a Pod still Pending or Running is
/// stopped (<c>Failed</c>, <c>DeadlineExceeded</c>).
/// </summary>
internal sealed class Kubelet(ObjectRequests objects, ControllerQueue queue, SimulatedKubelet settings, TimeProvider time) : IObjectObserver
{
    private const string Manager = "kubelet";

    public void Written(ObjectWrite write)
    {
        var spec = write.Object["spec"] as JsonObject;
        if (write.Type.Key != "pods" || !write.IsCreate || spec?["nodeName"]?.GetValue<string>() is null or ""
            || write.Object["status"]?["phase"]?.GetValue<string>() is not null)
        {
            return;
        }

        var metadata = write.Object["metadata"]!;
        var (ns, name, uid) = (metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>(), metadata["uid"]!.GetValue<string>());
        queue.AddAfter(TimeSpan.Zero, () => Report(write.Type, ns, name, uid, Admitted));
        queue.AddAfter(settings.StartDelay, () => Report(write.Type, ns, name, uid, Started));
        if (StatusFields.Int(spec["activeDeadlineSeconds"], 0) is > 0 and var deadline)
        {
            queue.AddAfter(TimeSpan.FromSeconds(deadline), () => Report(write.Type, ns, name, uid, DeadlineExceeded));
        }
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
    }

    private void Report(ResourceType type, string ns, string name, string uid, Func<JsonObject, JsonObject, string, bool> change) =>
        objects.Change(type, ns, name, "status", pod =>
        {
            var status = pod["status"]?.DeepClone() as JsonObject ?? new JsonObject();
            var phase = status["phase"]?.GetValue<string>();
            if (pod["metadata"]!["uid"]?.GetValue<string>() != uid || phase is "Failed" or "Succeeded" || !change(pod, status, Timestamps.Now(time)))
            {
                return null;
            }

            pod["status"] = status;
            return pod;
        }, Manager);

    private static bool Admitted(JsonObject pod, JsonObject status, string now)
    {
        if (status["phase"] is not null)
        {
            return false;
        }

        status["phase"] = "Pending";
        status["hostIP"] = HostIp(pod);
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = HostIp(pod) });
        status["startTime"] = now;
        status["qosClass"] = QosClass(pod);
        status["conditions"] = PodConditions(now, ready: false, scheduled: true);
        status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } }, ready: false, withImageId: false);
        return true;
    }

    private bool Started(JsonObject pod, JsonObject status, string now)
    {
        if (status["phase"]?.GetValue<string>() != "Pending")
        {
            return false;
        }

        var subject = SandboxObject.From(pod);
        if (settings.ImagePullFails?.Invoke(subject) == true)
        {
            status["containerStatuses"] = ContainerStatuses(pod, image => new JsonObject
            {
                ["waiting"] = new JsonObject
                {
                    ["reason"] = "ErrImagePull",
                    ["message"] = $"failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found",
                },
            }, ready: false, withImageId: false);
            return true;
        }

        if (settings.Fails?.Invoke(subject) == true)
        {
            status["phase"] = "Failed";
            status["conditions"] = PodConditions(now, ready: false, scheduled: true);
            status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["startedAt"] = now, ["finishedAt"] = now },
            }, ready: false, withImageId: true);
            return true;
        }

        status["phase"] = "Running";
        status["podIP"] = PodIp(pod);
        status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp(pod) });
        status["conditions"] = PodConditions(now, ready: true, scheduled: true);
        status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } }, ready: true, withImageId: true);
        return true;
    }

    private static bool DeadlineExceeded(JsonObject pod, JsonObject status, string now)
    {
        status["phase"] = "Failed";
        status["reason"] = "DeadlineExceeded";
        status["message"] = "Pod was active on the node longer than the specified deadline";
        status["conditions"] = PodConditions(now, ready: false, scheduled: true);
        status["containerStatuses"] = ContainerStatuses(pod, _ => new JsonObject
        {
            ["terminated"] = new JsonObject { ["exitCode"] = 137, ["reason"] = "Error", ["finishedAt"] = now },
        }, ready: false, withImageId: true);
        return true;
    }

    private static JsonArray PodConditions(string now, bool ready, bool scheduled)
    {
        JsonObject Condition(string type, bool value, string? reason = null)
        {
            var condition = new JsonObject { ["type"] = type, ["status"] = value ? "True" : "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
            if (!value && reason is not null)
            {
                condition["reason"] = reason;
            }

            return condition;
        }

        return
        [
            Condition("PodReadyToStartContainers", ready),
            Condition("Initialized", true),
            Condition("Ready", ready, "ContainersNotReady"),
            Condition("ContainersReady", ready, "ContainersNotReady"),
            Condition("PodScheduled", scheduled),
        ];
    }

    private static JsonArray ContainerStatuses(JsonObject pod, Func<string, JsonObject> state, bool ready, bool withImageId)
    {
        var statuses = new JsonArray();
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var image = container["image"]?.GetValue<string>() ?? "";
            statuses.Add(new JsonObject
            {
                ["name"] = container["name"]?.GetValue<string>(),
                ["state"] = state(image),
                ["ready"] = ready,
                ["restartCount"] = 0,
                ["image"] = image,
                ["imageID"] = withImageId ? $"{image.Split(':')[0]}@sha256:{Hex(image)}" : "",
                ["started"] = ready,
            });
        }

        return statuses;
    }

    private static string QosClass(JsonObject pod)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        bool Has(JsonObject c, string kind) => c["resources"]?[kind] is JsonObject { Count: > 0 };
        if (containers.Count > 0 && containers.All(c => Has(c, "limits") && c["resources"]!["limits"]!.ToJsonString() == (c["resources"]!["requests"] ?? c["resources"]!["limits"])!.ToJsonString()))
        {
            return "Guaranteed";
        }

        return containers.Any(c => Has(c, "limits") || Has(c, "requests")) ? "Burstable" : "BestEffort";
    }

    private static string HostIp(JsonObject pod) => Address("10.0.0", pod["spec"]!["nodeName"]!.GetValue<string>());

    private static string PodIp(JsonObject pod) => Address("10.244.0", pod["metadata"]!["uid"]!.GetValue<string>());

    private static string Address(string prefix, string seed) =>
        $"{prefix}.{(2 + (SHA256.HashData(Encoding.UTF8.GetBytes(seed))[0] % 250)).ToString(CultureInfo.InvariantCulture)}";

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
