using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Drills;

/// <summary>
/// The default assertions of a scratch drill: what "ready" means for each restored type, read from
/// the object's status the way <c>kubectl rollout status</c> reads it (the spec's generation observed,
/// then updated, ready and available replicas), a table with the reason for each row.
/// </summary>
public static class Readiness
{
    /// <summary>The types that get a readiness assertion: group-qualified resource, what is asserted, and why.</summary>
    public static IReadOnlyList<(string Resource, string What, string Reason)> Rules { get; } =
    [
        ("deployments.apps", "rolled out",
            "the application serves once its Deployments have the desired replicas updated and available (kubectl rollout status)"),
        ("statefulsets.apps", "rolled out",
            "stateful members answer once the desired replicas are ready at the update revision (kubectl rollout status)"),
        ("daemonsets.apps", "rolled out",
            "per-node agents run once every scheduled node has an updated, available pod (kubectl rollout status)"),
        ("persistentvolumeclaims", "Bound",
            "a pod that mounts a claim waits until the claim is Bound to a volume; a claim whose StorageClass binds on first use "
            + "(WaitForFirstConsumer, the default on AKS, EKS and GKE) stays Pending until a pod uses it, and the workload that uses it is asserted itself"),
        ("jobs.batch", "complete",
            "a Job restored with the application (a migration, a seed) must succeed; Failed=True fails the drill at once"),
    ];

    /// <summary>What is asserted for <paramref name="qualifiedResource"/>, or null when it gets no readiness assertion.</summary>
    public static string? WhatFor(string qualifiedResource) => Rules.FirstOrDefault(r => r.Resource == qualifiedResource).What;

    /// <summary>
    /// One look at <paramref name="obj"/> (null: not found) of <paramref name="qualifiedResource"/>; claims of a StorageClass in
    /// <paramref name="waitingForConsumer"/> hold while Pending.
    /// </summary>
    public static AssertionReading Read(string qualifiedResource, KubeObject? obj, IReadOnlySet<string>? waitingForConsumer = null)
    {
        if (obj is null)
        {
            return AssertionReading.Pending("not found");
        }

        var status = obj.Json["status"] as JsonObject;
        var spec = obj.Json["spec"] as JsonObject;
        return qualifiedResource switch
        {
            "deployments.apps" => Deployment(obj, spec, status),
            "statefulsets.apps" => StatefulSet(obj, spec, status),
            "daemonsets.apps" => DaemonSet(obj, spec, status),
            "persistentvolumeclaims" => Claim(spec, status, waitingForConsumer),
            "jobs.batch" => Job(spec, status),
            _ => AssertionReading.Met("exists"),
        };
    }

    private static AssertionReading Deployment(KubeObject obj, JsonObject? spec, JsonObject? status)
    {
        if (Generation(obj) > Number(status, "observedGeneration"))
        {
            return AssertionReading.Pending("Waiting for deployment spec update to be observed...");
        }

        if (Conditions.Find(status, "Progressing") is { } progressing && Conditions.Text(progressing, "reason") == "ProgressDeadlineExceeded")
        {
            return AssertionReading.Failed($"deployment \"{obj.Name}\" exceeded its progress deadline" + Conditions.Message(progressing));
        }

        var desired = Number(spec, "replicas", 1);
        var updated = Number(status, "updatedReplicas");
        var replicas = Number(status, "replicas");
        var available = Number(status, "availableReplicas");
        return updated < desired ? AssertionReading.Pending($"Waiting for deployment \"{obj.Name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...")
            : replicas > updated ? AssertionReading.Pending($"Waiting for deployment \"{obj.Name}\" rollout to finish: {replicas - updated} old replicas are pending termination...")
            : available < updated ? AssertionReading.Pending($"Waiting for deployment \"{obj.Name}\" rollout to finish: {available} of {updated} updated replicas are available...")
            : AssertionReading.Met($"deployment \"{obj.Name}\" successfully rolled out ({available} of {desired} available)");
    }

    private static AssertionReading StatefulSet(KubeObject obj, JsonObject? spec, JsonObject? status)
    {
        var observed = Number(status, "observedGeneration");
        if (observed == 0 || Generation(obj) > observed)
        {
            return AssertionReading.Pending("Waiting for statefulset spec update to be observed...");
        }

        var desired = Number(spec, "replicas", 1);
        var ready = Number(status, "readyReplicas");
        if (ready < desired)
        {
            return AssertionReading.Pending($"Waiting for {desired - ready} pods to be ready...");
        }

        // kubectl reads only RollingUpdate; for OnDelete, ready replicas are all a drill can ask for.
        var strategy = spec?["updateStrategy"] as JsonObject;
        if (Conditions.Text(strategy, "type") is { } type && type != "RollingUpdate")
        {
            return AssertionReading.Met($"{ready} of {desired} pods ready ({type} update strategy)");
        }

        if (strategy?["rollingUpdate"] is JsonObject rollingUpdate && rollingUpdate.ContainsKey("partition"))
        {
            var partition = Number(rollingUpdate, "partition");
            var updated = Number(status, "updatedReplicas");
            return updated < desired - partition
                ? AssertionReading.Pending($"Waiting for partitioned roll out to finish: {updated} out of {desired - partition} new pods have been updated...")
                : AssertionReading.Met($"partitioned roll out complete: {updated} new pods have been updated...");
        }

        var updateRevision = Conditions.Text(status, "updateRevision");
        var currentRevision = Conditions.Text(status, "currentRevision");
        return updateRevision != currentRevision
            ? AssertionReading.Pending($"waiting for statefulset rolling update to complete {Number(status, "updatedReplicas")} pods at revision {updateRevision}...")
            : AssertionReading.Met($"statefulset rolling update complete {ready} pods at revision {currentRevision ?? "-"}...");
    }

    private static AssertionReading DaemonSet(KubeObject obj, JsonObject? spec, JsonObject? status)
    {
        if (Generation(obj) > Number(status, "observedGeneration"))
        {
            return AssertionReading.Pending("Waiting for daemon set spec update to be observed...");
        }

        var desired = Number(status, "desiredNumberScheduled");
        var updated = Number(status, "updatedNumberScheduled");
        var available = Number(status, "numberAvailable");
        var onDelete = Conditions.Text(spec?["updateStrategy"] as JsonObject, "type") is { } type && type != "RollingUpdate";
        return !onDelete && updated < desired ? AssertionReading.Pending($"Waiting for daemon set \"{obj.Name}\" rollout to finish: {updated} out of {desired} new pods have been updated...")
            : available < desired ? AssertionReading.Pending($"Waiting for daemon set \"{obj.Name}\" rollout to finish: {available} of {desired} updated pods are available...")
            : AssertionReading.Met($"daemon set \"{obj.Name}\" successfully rolled out ({available} of {desired} available)");
    }

    private static AssertionReading Claim(JsonObject? spec, JsonObject? status, IReadOnlySet<string>? waitingForConsumer) => Conditions.Text(status, "phase") switch
    {
        "Bound" => AssertionReading.Met("phase Bound"),
        "Lost" => AssertionReading.Failed("phase Lost: its volume is gone"),
        "Pending" or null when Conditions.Text(spec, "storageClassName") is { } storageClass && waitingForConsumer?.Contains(storageClass) == true =>
            AssertionReading.Met($"phase Pending: StorageClass {storageClass} binds when a pod first uses the claim (WaitForFirstConsumer)"),
        var phase => AssertionReading.Pending($"phase {phase ?? "Pending"}"),
    };

    /// <summary>The target's StorageClasses whose <c>volumeBindingMode</c> is <c>WaitForFirstConsumer</c> (empty when it serves none).</summary>
    public static async Task<IReadOnlySet<string>> WaitingForConsumerAsync(Ports.IClusterReader target, DiscoveryResult discovery, CancellationToken cancellationToken = default)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        if (discovery.Find("storage.k8s.io", "storageclasses") is not { } resource)
        {
            return classes;
        }

        await foreach (var storageClass in target.ListAsync(resource, new Ports.ListRequest(), cancellationToken))
        {
            if (storageClass.Json["volumeBindingMode"]?.GetValue<string>() == "WaitForFirstConsumer")
            {
                classes.Add(storageClass.Name);
            }
        }

        return classes;
    }

    private static AssertionReading Job(JsonObject? spec, JsonObject? status)
    {
        if (Conditions.Find(status, "Failed") is { } failed && Conditions.Text(failed, "status") == "True")
        {
            return AssertionReading.Failed($"Failed=True ({Conditions.Text(failed, "reason") ?? "no reason"})" + Conditions.Message(failed));
        }

        if (Conditions.Find(status, "Complete") is { } complete && Conditions.Text(complete, "status") == "True")
        {
            return AssertionReading.Met($"Complete=True ({Number(status, "succeeded")} succeeded)");
        }

        if (spec?["suspend"] is JsonValue suspend && suspend.TryGetValue<bool>(out var suspended) && suspended)
        {
            return AssertionReading.Met("suspended: not meant to run until resumed");
        }

        return AssertionReading.Pending($"{Number(status, "active")} active, {Number(status, "succeeded")} succeeded, {Number(status, "failed")} failed");
    }

    private static long Generation(KubeObject obj) => Number(obj.Metadata, "generation");

    /// <summary>A whole-number field (as parsed from the wire, or as built in memory), or <paramref name="absent"/>.</summary>
    private static long Number(JsonObject? obj, string field, long absent = 0) => obj?[field] is JsonValue value
        ? value.TryGetValue<long>(out var number) ? number : value.TryGetValue<int>(out var small) ? small : absent
        : absent;
}
