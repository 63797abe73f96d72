using System.Threading.Channels;
using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Backup;

/// <summary>
/// One capture in motion. Lists run in parallel and hand serialized documents to a single archive
/// writer through a bounded channel, so memory stays flat however large the cluster is.
/// </summary>
internal sealed class CaptureRun(
    IClusterReader cluster, BackupScope scope, BackupCaptureOptions options, IProgress<BackupProgress>? progress, Encryption.DataKey? secretValuesKey = null)
{
    private readonly IReadOnlyList<IBackupItemAction> _actions = BackupItemActions.For(scope, secretValuesKey);
    private int _typesDone;
    private int _typesTotal;
    private long _bytes;

    public BackupScope Scope => scope;

    public OperationResult Result { get; } = new();

    public CaptureTally Tally { get; } = new();

    public void RecordDiscoveryFailure(DiscoveryFailure failure)
    {
        var group = failure.GroupVersion.Split('/')[0];
        var message = $"discovery of {failure.GroupVersion} failed, so its resources are not in this backup: {failure.Message}";
        if (DefaultExclusions.Resources.Any(e => e.Group == group && e.Resource == "*"))
        {
            Result.Warning(message, resource: failure.GroupVersion, reason: ProblemReasons.DiscoveryFailed);
        }
        else
        {
            Result.Error(message, resource: failure.GroupVersion, reason: ProblemReasons.DiscoveryFailed);
        }
    }

    public async Task CaptureAsync(CapturePlan plan, ResourceArchiveWriter archive, CancellationToken cancellationToken)
    {
        _typesTotal = plan.Resources.Count;
        var channel = Channel.CreateBounded<ArchiveDocument>(new BoundedChannelOptions(512)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteAllAsync(channel.Reader, archive, linked.Token);
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = linked.Token };
            await Parallel.ForEachAsync(plan.FirstPhase, parallel, (p, ct) => CaptureTypeAsync(p, channel.Writer, ct));
            await Parallel.ForEachAsync(plan.SecondPhase, parallel, (p, ct) => CaptureTypeAsync(p, channel.Writer, ct));
            channel.Writer.Complete();
        }
        catch (Exception e)
        {
            channel.Writer.TryComplete(e);
            await linked.CancelAsync();
            await SuppressAsync(writer);
            throw;
        }
        finally
        {
            // The listing is over: free what the actions hold (the Secret values' cipher context).
            foreach (var action in _actions.OfType<IDisposable>())
            {
                action.Dispose();
            }
        }

        await writer;
        ReportMissingDependencies(plan);
    }

    private async ValueTask CaptureTypeAsync(PlannedResource planned, ChannelWriter<ArchiveDocument> output, CancellationToken cancellationToken)
    {
        var resource = planned.Resource;
        var selector = planned.Mode is CaptureMode.Namespaced or CaptureMode.Full && !scope.Selector.IsEmpty ? scope.Selector.ToString() : null;
        IEnumerable<string?> namespaces = planned.Mode == CaptureMode.Namespaced && !scope.AllNamespaces
            ? scope.IncludeNamespaces.Where(scope.IncludesNamespace).Distinct(StringComparer.Ordinal).Select(ns => (string?)ns)
            : [(string?)null];

        foreach (var ns in namespaces)
        {
            long listed = 0;
            try
            {
                await foreach (var obj in cluster.ListAsync(resource, new ListRequest(ns, selector, PageSize: options.PageSize), cancellationToken))
                {
                    listed++;
                    await ProcessAsync(planned, obj, output, cancellationToken);
                }
            }
            catch (ClusterRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                var where = ns is null ? string.Empty : $" in namespace {ns}";
                var message = e.Reason == ProblemReasons.Forbidden
                    ? $"the identity lacks 'list' on {resource.QualifiedName}{where}: {e.Message}"
                    : listed == 0 ? $"listing failed: {e.Message}" : $"listing stopped after {listed} objects: {e.Message}";
                Result.Error(message, resource.QualifiedName, ns, reason: e.Reason ?? $"HTTP {e.StatusCode}");
            }
        }

        var done = Interlocked.Increment(ref _typesDone);
        progress?.Report(new BackupProgress(done, _typesTotal, Tally.Objects, Interlocked.Read(ref _bytes), resource.QualifiedName));
    }

    private async ValueTask ProcessAsync(PlannedResource planned, KubeObject obj, ChannelWriter<ArchiveDocument> output, CancellationToken cancellationToken)
    {
        var resource = planned.Resource;
        if (obj.Namespace is { } objectNs && !scope.IncludesNamespace(objectNs))
        {
            return;
        }

        if (planned.Mode is CaptureMode.Needed or CaptureMode.FullAndNeeded)
        {
            var needed = Tally.NeededOf(resource.Group, resource.Name);
            var isNeeded = needed.ContainsKey(obj.Name);
            if (isNeeded)
            {
                needed[obj.Name] = true;
            }
            else if (planned.Mode == CaptureMode.Needed || !scope.Selector.Matches(obj.Labels))
            {
                return;
            }
        }

        var item = new BackupItem(resource, obj);
        var path = ArtifactLayout.ResourcePath(resource, obj.Namespace, obj.Name);
        foreach (var action in _actions)
        {
            if (!action.AppliesTo(resource))
            {
                continue;
            }

            var decision = action.Execute(item);
            if (decision.IsSkip)
            {
                Tally.Exclude(decision.SkipReason!);
                if (item.GitOps is { } skippedOwner)
                {
                    Tally.GitOps(new GitOpsObject(path, skippedOwner.Manager, skippedOwner.Application, Skipped: true));
                }

                return;
            }
        }

        if (!planned.DependsOnCapturedObjects)
        {
            foreach (var dependency in ClusterDependencies.Of(resource, obj))
            {
                Tally.Need(dependency);
            }
        }

        if (item.GitOps is { } owner)
        {
            Tally.GitOps(new GitOpsObject(path, owner.Manager, owner.Application, Skipped: false));
        }

        var document = KubeObjectJson.Serialize(obj);
        Interlocked.Add(ref _bytes, document.Length);
        Tally.Captured(resource.QualifiedName, obj.Namespace);
        await output.WriteAsync(new ArchiveDocument(path, document), cancellationToken);
    }

    private void ReportMissingDependencies(CapturePlan plan)
    {
        foreach (var planned in plan.SecondPhase)
        {
            var r = planned.Resource;
            foreach (var (name, found) in Tally.NeededOf(r.Group, r.Name))
            {
                if (found || Tally.IsOptional(r.Group, r.Name, name))
                {
                    continue;
                }

                var message = r.Name == "namespaces" && scope.IncludeNamespaces.Contains(name)
                    ? $"namespace '{name}' was asked for but does not exist"
                    : $"captured objects refer to {r.QualifiedName} '{name}', which does not exist in the cluster";
                Result.Warning(message, r.QualifiedName, name: name, reason: ProblemReasons.NotFound);
            }
        }
    }

    private static async Task WriteAllAsync(ChannelReader<ArchiveDocument> input, ResourceArchiveWriter archive, CancellationToken cancellationToken)
    {
        await foreach (var document in input.ReadAllAsync(cancellationToken))
        {
            await archive.WriteEntryAsync(document.Path, document.Content, cancellationToken);
        }
    }

    private static async Task SuppressAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // The first failure is the one rethrown.
        }
    }

    private readonly record struct ArchiveDocument(string Path, byte[] Content);
}
