using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Etcd;

/// <summary>
/// The short-lived Pod that reads one control-plane node's files: pinned to the node by <c>spec.nodeName</c> (no
/// scheduler), tolerating every taint (the kubelet refuses a Pod that does not tolerate its node's <c>NoExecute</c>
/// taints), with the node's <see cref="ControlPlaneFilesSettings.Root"/>
/// mounted read-only and nothing else from the host (no host network, PID or IPC namespace, no service account token,
/// no capability). It runs as root because the keys it reads are root's and mode 0600 — reading them needs the owner,
/// not a capability, so every capability is dropped and privilege escalation is off. It only sleeps: the files are read
/// through <c>pods/exec</c>, and <c>activeDeadlineSeconds</c> ends it even if Strata dies before deleting it.
/// </summary>
public static class ControlPlaneFilesPod
{
    /// <summary>The container's name.</summary>
    public const string Container = "files";

    /// <summary>What <see cref="StrataLabels.ManagedBy"/>'s neighbour <c>app.kubernetes.io/name</c> says of the Pod.</summary>
    public const string AppName = "strata-control-plane-files";

    /// <summary>Where the node's root is mounted in the container: <c>/host</c> then the root (<c>/host/etc/kubernetes</c>).</summary>
    public static string MountPath(string root) => "/host/" + root.Trim('/');

    /// <summary>
    /// The Pod's name for <paramref name="node"/> in backup <paramref name="backupId"/>:
    /// <c>strata-cp-files-{8 hex of the node's SHA-256}-{the backup id's last 6 characters}</c>, a DNS-1123 label
    /// whatever the node is called. The same backup asks for the same name again (a replay finds its leftover).
    /// </summary>
    public static string Name(string node, string backupId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node)))[..8];
        var id = new string([.. backupId.ToLowerInvariant().Where(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))]);
        return id.Length == 0 ? $"strata-cp-files-{hash}" : $"strata-cp-files-{hash}-{id[^Math.Min(6, id.Length)..]}";
    }

    /// <summary>The Pod, as sent to the API server.</summary>
    public static JsonObject Build(ControlPlaneFilesSettings settings, string node, string name, string backupId)
    {
        var seconds = Seconds(settings.Timeout);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = settings.Namespace,
                ["labels"] = new JsonObject
                {
                    [StrataLabels.BackupId] = backupId,
                    [StrataLabels.ManagedBy] = StrataLabels.Manager,
                    ["app.kubernetes.io/name"] = AppName,
                },
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                // nodeName bypasses the scheduler, so NoSchedule taints never apply; the kubelet itself rejects (and evicts)
                // a Pod that does not tolerate the node's NoExecute taints — CriticalAddonsOnly=true:NoExecute on k3s and
                // RKE2 servers, node-role.kubernetes.io/etcd:NoExecute on RKE2's etcd nodes. One toleration of every taint,
                // as node agents carry, is the only one that lets the Pod run on whichever control-plane node it is sent to.
                ["tolerations"] = new JsonArray(new JsonObject { ["operator"] = "Exists" }),
                ["restartPolicy"] = "Never",
                ["automountServiceAccountToken"] = false,
                ["enableServiceLinks"] = false,
                ["hostNetwork"] = false,
                ["hostPID"] = false,
                ["hostIPC"] = false,
                ["activeDeadlineSeconds"] = seconds,
                ["terminationGracePeriodSeconds"] = 0,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = Container,
                    ["image"] = settings.Image,
                    ["imagePullPolicy"] = "IfNotPresent",
                    ["command"] = new JsonArray("sleep", seconds.ToString(CultureInfo.InvariantCulture)),
                    ["securityContext"] = new JsonObject
                    {
                        ["runAsUser"] = 0,
                        ["runAsNonRoot"] = false,
                        ["privileged"] = false,
                        ["allowPrivilegeEscalation"] = false,
                        ["readOnlyRootFilesystem"] = true,
                        ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                        ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
                    },
                    ["resources"] = new JsonObject
                    {
                        // tar of a few megabytes: a sliver of CPU and a little memory, so the Pod fits beside the control plane.
                        ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "16Mi" },
                        ["limits"] = new JsonObject { ["cpu"] = "200m", ["memory"] = "64Mi" },
                    },
                    ["volumeMounts"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "host-files",
                        ["mountPath"] = MountPath(settings.Root),
                        ["readOnly"] = true,
                    }),
                }),
                ["volumes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "host-files",
                    ["hostPath"] = new JsonObject { ["path"] = settings.Root, ["type"] = "Directory" },
                }),
            },
        };
    }

    /// <summary>The timeout in whole seconds (at least one), for <c>activeDeadlineSeconds</c> and the <c>sleep</c>.</summary>
    public static long Seconds(TimeSpan timeout) => Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds));
}
