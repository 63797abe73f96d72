using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Commands;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Etcd;

/// <summary>
/// The control-plane files of the etcd layer: for each node <see cref="ControlPlaneFilesSettings.NodeSelector"/>
/// matches, a short-lived Pod pinned to it (<see cref="ControlPlaneFilesPod"/>) lists which of the entries asked for
/// the node has, then <c>tar</c>s them to stdout through <c>pods/exec</c>; the stream goes into
/// <c>control-plane/{node}.tar</c> with its SHA-256 and is read on the way (<see cref="ControlPlaneTar"/>), and the tar
/// is committed only when tar exited 0 and the stream was a whole tar. The Pod is deleted afterwards whatever happened.
/// Nodes are copied one after another: a control plane has a handful, each copy is a few hundred kilobytes and takes
/// about as long as its Pod takes to start, and one reader Pod at a time is the least a control plane is exposed to.
/// The files are stored encrypted whenever the backup encrypts (<c>Encryption.EncryptionPaths</c>: <c>control-plane/</c>);
/// a backup that does not encrypt takes them only with <see cref="ControlPlaneFilesSettings.AllowUnencryptedKeys"/>, and
/// otherwise creates nothing and says why.
/// </summary>
public sealed class ControlPlaneFiles(ControlPlaneFilesSettings settings, IClusterWriter cluster)
{
    /// <summary>The name problems carry (per node: <c>control-plane-files/{node}</c>).</summary>
    public const string ProblemName = "control-plane-files";

    /// <summary>Why the files are not taken by a backup that does not encrypt, without <see cref="ControlPlaneFilesSettings.AllowUnencryptedKeys"/>.</summary>
    public const string OffReason =
        "the control-plane files hold private keys (the cluster's CAs, the service-account signing key, etcd's keys), which Strata stores only "
        + "encrypted, and this backup does not encrypt — configure encryption.keys in strata.yaml (the files are then stored encrypted), "
        + "or set etcd.controlPlaneFiles.allowUnencryptedKeys: true to take them unencrypted";

    /// <summary>How often the Pod is read while it starts.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Nodes.</summary>
    public static readonly ApiResource Nodes = new("", "v1", "nodes", "Node", false, ["list"]);

    /// <summary>Pods.</summary>
    public static readonly ApiResource Pods = new("", "v1", "pods", "Pod", true, ["get", "create", "delete"]);

    // The delete runs after whatever happened (a cancelled backup too), on its own short budget.
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(30);

    // What a Pod waits on that will not clear within a backup's patience (an image that cannot be pulled, a bad
    // container config): reported at once rather than at the timeout.
    private static readonly HashSet<string> HopelessWaits = new(StringComparer.Ordinal)
    {
        "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError",
    };

    private const string ListScript = "cd \"$0\" && for p in \"$@\"; do [ -e \"$p\" ] && printf '%s\\n' \"$p\"; done; exit 0";
    private const int ListingLimit = 64 * 1024;

    /// <summary>The entries asked for under the root: <see cref="ControlPlaneFilesSettings.Paths"/>, then the kubeconfigs when asked.</summary>
    public IReadOnlyList<string> Requested =>
        [.. settings.Paths.Concat(settings.Kubeconfigs ? ControlPlaneFilesSettings.KubeconfigFiles : []).Distinct(StringComparer.Ordinal)];

    /// <summary>Copies every selected node's files; problems go to the context's result, exceptions only from the store.</summary>
    public async Task<ControlPlaneFilesCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        if (!settings.AllowUnencryptedKeys && context.Encryption == Encryption.EncryptionMode.None)
        {
            context.Result.Warning(OffReason, EtcdLayer.Resource, null, ProblemName, ProblemReasons.KeysUnencrypted);
            return new ControlPlaneFilesCapture([], [], OffReason);
        }

        if (Requested.FirstOrDefault(e => !ControlPlaneTar.IsSafePath(e) || e.Contains('\n', StringComparison.Ordinal)) is { } bad)
        {
            context.Result.Error($"the control-plane entry '{bad}' is not a path under {settings.Root}: no files were taken", EtcdLayer.Resource, null, ProblemName, ProblemReasons.FilesFailed);
            return new ControlPlaneFilesCapture([], [], null);
        }

        var nodes = new List<KubeObject>();
        try
        {
            await foreach (var node in cluster.ListAsync(Nodes, new ListRequest(LabelSelector: settings.NodeSelector.ToString()), cancellationToken))
            {
                nodes.Add(node);
            }
        }
        catch (ClusterRequestException e)
        {
            context.Result.Error($"listing the control-plane nodes ('{settings.NodeSelector}') failed: {e.Message}", EtcdLayer.Resource, null, ProblemName, ProblemReasons.FilesFailed);
            return new ControlPlaneFilesCapture([], [], null);
        }

        if (nodes.Count == 0)
        {
            context.Result.Warning(
                $"no control-plane node is visible (no node matches '{settings.NodeSelector}'): a managed control plane shows none, or the selector matches none — no control-plane files were taken",
                EtcdLayer.Resource, null, ProblemName);
        }

        var records = new List<ControlPlaneFilesRecord>();
        foreach (var node in nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (NotReady(node) is { } why)
            {
                context.Result.Error($"node {node.Name} is not Ready ({why}): its control-plane files were not taken", EtcdLayer.Resource, null, $"{ProblemName}/{node.Name}", ProblemReasons.FilesFailed);
                continue;
            }

            if (await CaptureNodeAsync(context, node.Name, cancellationToken) is { } record)
            {
                records.Add(record);
            }
        }

        return new ControlPlaneFilesCapture(records, [.. records.Select(r => new ArtifactEntry(r.Path, r.Size, r.Sha256))], null);
    }

    private async Task<ControlPlaneFilesRecord?> CaptureNodeAsync(LayerContext context, string node, CancellationToken cancellationToken)
    {
        var attempt = new NodeAttempt(node, ControlPlaneFilesPod.Name(node, context.BackupId), settings.Namespace);
        var startedAt = context.Time.GetUtcNow();
        var started = context.Time.GetTimestamp();
        using var deadline = new CancellationTokenSource(settings.Timeout, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked.Token;
        try
        {
            var problem = await CreateAsync(attempt, context.BackupId, context.Time, token)
                ?? await WaitRunningAsync(context, attempt, token);
            if (problem is not null)
            {
                Error(context, attempt, problem, ProblemReasons.FilesFailed);
                return null;
            }

            attempt.Doing = "listing the files";
            var (existing, listProblem) = await ListAsync(attempt, token);
            var missing = settings.Paths.Where(p => !existing.Contains(p)).ToList();
            if (listProblem is not null || missing.Count > 0)
            {
                Error(context, attempt, listProblem ?? $"the node has no {string.Join(", ", missing.Select(m => $"{settings.Root.TrimEnd('/')}/{m}"))}: not a kubeadm control-plane node, or another root", ProblemReasons.FilesFailed);
                return null;
            }

            attempt.Doing = "copying the files";
            return await CopyAsync(context, attempt, existing, startedAt, started, token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Error(context, attempt, $"took longer than the timeout ({settings.Timeout}) while {attempt.Doing}; nothing was stored", ProblemReasons.Timeout);
            return null;
        }
        catch (ClusterRequestException e)
        {
            Error(context, attempt, $"{attempt.Doing} failed: {e.Message}", ProblemReasons.FilesFailed);
            return null;
        }
        finally
        {
            if (attempt.MayExist)
            {
                await DeleteAsync(context, attempt);
            }
        }
    }

    private async Task<string?> CreateAsync(NodeAttempt attempt, string backupId, TimeProvider time, CancellationToken cancellationToken)
    {
        attempt.Doing = $"creating the Pod {attempt.Where}";
        var body = ControlPlaneFilesPod.Build(settings, attempt.Node, attempt.Pod, backupId);
        try
        {
            attempt.MayExist = true;
            await cluster.CreateAsync(Pods, settings.Namespace, body, cancellationToken: cancellationToken);
            return null;
        }
        catch (ClusterRequestException e) when (e.StatusCode == 409)
        {
            // A replay of this backup after a Strata that died: its own leftover Pod is removed, anything else is not Strata's to remove.
            var existing = await cluster.GetAsync(Pods, settings.Namespace, attempt.Pod, cancellationToken);
            if (existing is not null && (existing.Label(StrataLabels.ManagedBy) != StrataLabels.Manager || existing.Label(StrataLabels.BackupId) != backupId))
            {
                attempt.MayExist = false;
                return $"a Pod {attempt.Where} that is not this backup's is in the way";
            }

            attempt.Doing = $"removing this backup's earlier Pod {attempt.Where}";
            await cluster.DeleteAsync(Pods, settings.Namespace, attempt.Pod, cancellationToken);
            while (await cluster.GetAsync(Pods, settings.Namespace, attempt.Pod, cancellationToken) is not null)
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }

            attempt.Doing = $"creating the Pod {attempt.Where}";
            await cluster.CreateAsync(Pods, settings.Namespace, body, cancellationToken: cancellationToken);
            return null;
        }
        catch (ClusterRequestException e) when (e.StatusCode is >= 400 and < 500)
        {
            // Refused (forbidden, invalid, rejected by admission): there is nothing to delete.
            attempt.MayExist = false;
            return $"creating the Pod {attempt.Where} was refused: {e.Message}";
        }
    }

    private async Task<string?> WaitRunningAsync(LayerContext context, NodeAttempt attempt, CancellationToken cancellationToken)
    {
        attempt.Doing = $"waiting for the Pod {attempt.Where} to run";
        while (true)
        {
            var pod = await cluster.GetAsync(Pods, settings.Namespace, attempt.Pod, cancellationToken);
            if (pod is null)
            {
                return $"the Pod {attempt.Where} was deleted before it ran";
            }

            var phase = pod.GetString("status.phase");
            var waiting = Waiting(pod);
            if (phase == "Running")
            {
                return null;
            }

            if (phase is "Failed" or "Succeeded")
            {
                var reason = pod.GetString("status.reason") is { } r ? $" ({r}{(pod.GetString("status.message") is { } m ? $": {m}" : "")})" : "";
                return $"the Pod {attempt.Where} ended ({phase}{reason}) before the files were read";
            }

            if (waiting is { Reason: { } stuck } && HopelessWaits.Contains(stuck))
            {
                return $"the Pod {attempt.Where} cannot start its container (image {settings.Image}): {stuck}{(waiting.Value.Message is { } message ? $": {message}" : "")}";
            }

            attempt.Doing = $"waiting for the Pod {attempt.Where} to run (it is {phase ?? "not yet scheduled"}{(waiting?.Reason is { } why ? $", {why}" : "")})";
            await Task.Delay(PollInterval, context.Time, cancellationToken);
        }
    }

    private async Task<(IReadOnlyList<string> Existing, string? Problem)> ListAsync(NodeAttempt attempt, CancellationToken cancellationToken)
    {
        var mount = ControlPlaneFilesPod.MountPath(settings.Root);
        var output = new MemoryStream();
        var exit = await cluster.ExecAsync(
            new PodCommand(settings.Namespace, attempt.Pod, ControlPlaneFilesPod.Container, ["sh", "-c", ListScript, mount, .. Requested]),
            new CommandStreams(Stdout: (stdout, ct) => CopyBoundedAsync(stdout, output, ct)), cancellationToken);
        if (!exit.Succeeded)
        {
            return ([], $"listing {settings.Root} in the Pod {attempt.Where} failed: {Tail(exit)}");
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return ([.. Requested.Where(lines.Contains)], null);
    }

    private async Task<ControlPlaneFilesRecord?> CopyAsync(
        LayerContext context, NodeAttempt attempt, IReadOnlyList<string> entries, DateTimeOffset startedAt, long started, CancellationToken cancellationToken)
    {
        var path = ArtifactLayout.ControlPlaneFilesPath(attempt.Node);
        await using var upload = await context.Store.CreateAsync(ArtifactLayout.ArtifactKey(context.BackupPrefix, path), cancellationToken);
        var hashing = new HashingStream(upload.Content);
        ControlPlaneTarContents? contents = null;
        string? unreadable = null;
        var exit = await cluster.ExecAsync(
            new PodCommand(settings.Namespace, attempt.Pod, ControlPlaneFilesPod.Container, ["tar", "-C", ControlPlaneFilesPod.MountPath(settings.Root), "-cf", "-", .. entries]),
            new CommandStreams(Stdout: async (stdout, ct) =>
            {
                try
                {
                    contents = await ControlPlaneTar.ReadAsync(new TeeStream(stdout, hashing), ct);
                }
                catch (InvalidDataException e)
                {
                    unreadable = e.Message; // the rest is drained by the exec; nothing of it is committed
                }
            }), cancellationToken);
        var (problem, reason) = exit.Succeeded switch
        {
            false => ($"tar in the Pod {attempt.Where} failed: {Tail(exit)}; nothing was stored", ProblemReasons.FilesFailed),
            true when unreadable is not null => ($"tar exited 0, but what it wrote is not a whole tar: {unreadable}; nothing was stored", ProblemReasons.IntegrityFailed),
            true when contents is { UnsafeCount: > 0 } => ($"the tar names {contents.UnsafeCount} paths outside its root ({string.Join(", ", contents.UnsafePaths)}); nothing was stored", ProblemReasons.IntegrityFailed),
            _ => ((string?)null, (string?)null),
        };
        if (problem is not null || contents is null)
        {
            Error(context, attempt, problem ?? "tar wrote nothing; nothing was stored", reason ?? ProblemReasons.FilesFailed);
            return null;
        }

        await upload.CommitAsync(cancellationToken);
        return new ControlPlaneFilesRecord
        {
            Node = attempt.Node,
            Path = path,
            Size = hashing.BytesHashed,
            Sha256 = hashing.Sha256Hex,
            Root = settings.Root,
            Entries = entries,
            Files = contents.Files,
            PrivateKeyFiles = contents.PrivateKeyFiles,
            Pod = attempt.Pod,
            StartedAt = startedAt,
            Duration = context.Time.GetElapsedTime(started),
        };
    }

    private async Task DeleteAsync(LayerContext context, NodeAttempt attempt)
    {
        using var budget = new CancellationTokenSource(DeleteTimeout, context.Time);
        try
        {
            await cluster.DeleteAsync(Pods, settings.Namespace, attempt.Pod, budget.Token);
        }
        catch (Exception e) when (e is ClusterRequestException or OperationCanceledException)
        {
            var why = e is ClusterRequestException ? e.Message : $"no answer within {DeleteTimeout.TotalSeconds:0} s";
            context.Result.Warning(
                $"the Pod {attempt.Where} that read node {attempt.Node}'s control-plane files could not be deleted ({why}); it stops by itself after "
                + $"{ControlPlaneFilesPod.Seconds(settings.Timeout)} s (activeDeadlineSeconds) — delete it with kubectl delete pod -n {settings.Namespace} {attempt.Pod}",
                EtcdLayer.Resource, settings.Namespace, attempt.Pod);
        }
    }

    private static void Error(LayerContext context, NodeAttempt attempt, string problem, string reason) =>
        context.Result.Error($"the control-plane files of node {attempt.Node}: {problem}", EtcdLayer.Resource, null, $"{ProblemName}/{attempt.Node}", reason);

    private static string? NotReady(KubeObject node)
    {
        var ready = (node.Json["status"]?["conditions"] as JsonArray)?
            .OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
        var status = ready?["status"]?.GetValue<string>();
        // A node that reports no Ready condition is not judged: the Pod's start will tell.
        return ready is null || status == "True" ? null
            : $"Ready={status ?? "Unknown"}{(ready["reason"]?.GetValue<string>() is { } reason ? $", {reason}" : "")}";
    }

    private static (string? Reason, string? Message)? Waiting(KubeObject pod)
    {
        var statuses = pod.Json["status"]?["containerStatuses"] as JsonArray;
        var waiting = statuses?.OfType<JsonObject>().Select(s => s["state"]?["waiting"]).OfType<JsonObject>().FirstOrDefault();
        return waiting is null ? null : (waiting["reason"]?.GetValue<string>(), waiting["message"]?.GetValue<string>());
    }

    // The exit and the last lines of stderr (tar names the file it could not read there).
    private static string Tail(CommandExit exit)
    {
        var lines = exit.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = string.Join("; ", lines.TakeLast(3));
        if (tail.Length > 500)
        {
            tail = "…" + tail[^500..];
        }

        var how = exit.Failure ?? $"exited {exit.ExitCode}";
        return tail.Length == 0 ? how : $"{how}: {tail}";
    }

    private static async Task CopyBoundedAsync(Stream source, MemoryStream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            // A listing is a few names; more than this is not a listing, and is not kept.
            if (destination.Length + read <= ListingLimit)
            {
                destination.Write(buffer, 0, read);
            }
        }
    }

    private sealed class NodeAttempt(string node, string pod, string ns)
    {
        public string Node { get; } = node;

        public string Pod { get; } = pod;

        public string Where { get; } = $"{ns}/{pod}";

        /// <summary>What the copy was doing, for a timeout's message.</summary>
        public string Doing { get; set; } = "starting";

        /// <summary>Whether the Pod may have been created (and must be deleted).</summary>
        public bool MayExist { get; set; }
    }
}
