using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Etcd;

/// <summary>
/// The etcd layer, last of a backup's layers (objects → dumps → etcd): a snapshot of the cluster's etcd through its own
/// API from the usable member furthest along (applied index, then revision), streamed into <c>etcd/snapshot.db</c> with SHA-256 and
/// committed only when etcd's trailer and the bbolt header prove it whole (<see cref="EtcdSnapshotCapture"/>), then the
/// control plane's own files when the policy names them (<see cref="ControlPlaneFiles"/>). A cluster without
/// <c>etcd:</c> endpoints is a managed control plane or one not configured for it: the layer says which and is
/// "not applicable", never a failure — with a warning when the cluster shows control-plane nodes, which only a
/// self-managed control plane does.
/// </summary>
public sealed class EtcdLayer : IBackupLayer
{
    /// <summary>The resource name problems of this layer carry.</summary>
    public const string Resource = "etcd";

    private readonly EtcdSettings _settings;
    private readonly ClusterDefinition _cluster;
    private readonly IEtcdConnector _connector;
    private readonly IClusterWriter _client;

    /// <summary>The layer for <paramref name="cluster"/> under a policy's <paramref name="settings"/>.</summary>
    /// <param name="settings">The policy's <c>etcd:</c>.</param>
    /// <param name="cluster">The cluster, whose <see cref="ClusterDefinition.Etcd"/> says how to reach its etcd.</param>
    /// <param name="connector">Reaches the etcd members.</param>
    /// <param name="client">The cluster's API: a managed platform recognised, the control-plane files copied.</param>
    public EtcdLayer(EtcdSettings settings, ClusterDefinition cluster, IEtcdConnector connector, IClusterWriter client)
    {
        _settings = settings;
        _cluster = cluster;
        _connector = connector;
        _client = client;
    }

    /// <inheritdoc />
    public string Name => Resource;

    /// <summary>After the objects, and added last: objects → dumps → etcd.</summary>
    public LayerTiming Timing => LayerTiming.AfterObjects;

    /// <inheritdoc />
    public async Task<LayerCapture> CaptureAsync(LayerContext context, CancellationToken cancellationToken = default)
    {
        var record = new EtcdLayerRecord();
        var artifacts = new List<ArtifactEntry>();
        string? managed = null;
        if (_cluster.Etcd is null)
        {
            managed = await ManagedControlPlanes.RecognizeAsync(_client, cancellationToken);
            if (_settings.Snapshot || managed is not null)
            {
                record = record with
                {
                    NotApplicable = managed is not null ? $"managed control plane ({managed})"
                        : $"no etcd endpoints configured for cluster {_cluster.Name} (a managed control plane, or add etcd: to the cluster in strata.yaml)",
                };
            }

            if (_settings.Snapshot && managed is null)
            {
                await WarnIfSelfManagedAsync(context, cancellationToken);
            }
        }
        else if (_settings.Snapshot && await SnapshotAsync(context, _cluster.Etcd, cancellationToken) is { } snapshot)
        {
            record = record with { Snapshot = snapshot };
            artifacts.Add(new ArtifactEntry(snapshot.Path, snapshot.Size, snapshot.Sha256));
        }

        if (_settings.ControlPlaneFiles is { } files)
        {
            if (managed is not null)
            {
                record = record with { ControlPlaneFilesOff = $"managed control plane ({managed}): no control-plane node to copy from" };
            }
            else
            {
                var copied = await new ControlPlaneFiles(files, _client).CaptureAsync(context, cancellationToken);
                record = record with { ControlPlaneFiles = copied.Records, ControlPlaneFilesOff = copied.Off };
                artifacts.AddRange(copied.Artifacts);
            }
        }

        return new LayerCapture(artifacts) { Etcd = record };
    }

    /// <summary>
    /// A cluster without <c>etcd:</c> that shows control-plane nodes is self-managed — managed platforms hide theirs — so
    /// its etcd goes unprotected by mistake: a warning, beside the "not applicable" record.
    /// </summary>
    private async Task WarnIfSelfManagedAsync(LayerContext context, CancellationToken cancellationToken)
    {
        const int Named = 3;
        var nodes = await ManagedControlPlanes.ControlPlaneNodesAsync(_client, Named + 1, cancellationToken);
        if (nodes.Count > 0)
        {
            var names = string.Join(", ", nodes.Take(Named)) + (nodes.Count > Named ? ", …" : "");
            context.Result.Warning(
                $"cluster {_cluster.Name} shows control-plane nodes ({names}) — a self-managed control plane whose etcd Strata cannot reach: add etcd: to the cluster in strata.yaml",
                Resource, null, "snapshot", ProblemReasons.EtcdMisconfigured);
        }
    }

    private async Task<EtcdSnapshotRecord?> SnapshotAsync(LayerContext context, EtcdAccess access, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            IEtcdEndpoints endpoints;
            try
            {
                endpoints = await _connector.ConnectAsync(access, timeout.Token);
            }
            catch (EtcdRequestException e)
            {
                context.Result.Error($"etcd of cluster {_cluster.Name} cannot be reached: {e.Message}", Resource, null, "snapshot", ProblemReasons.EtcdUnreachable);
                return null;
            }

            await using (endpoints)
            {
                return await new EtcdSnapshotCapture(endpoints, context).TakeAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing half-written stays: an upload is committed only once whole.
            context.Result.Error($"the etcd snapshot took longer than its timeout ({DurationText.Format(_settings.Timeout)}) and was stopped", Resource, null, "snapshot", ProblemReasons.Timeout);
            return null;
        }
    }
}
