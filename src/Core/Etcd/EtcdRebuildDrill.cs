using Strata.Core.Artifacts;
using Strata.Core.Ports;

namespace Strata.Core.Etcd;

/// <summary>
/// The rebuild drill of a backup's etcd snapshot: the artifact read from the store and checked on the way (etcd's
/// SHA-256 trailer and the bbolt header through <see cref="EtcdSnapshotIntegrity"/>, the manifest's size and SHA-256),
/// written to a temporary file, restored and started as a throwaway single-member etcd by <see cref="IEtcdRehearsals"/>,
/// and its keys per resource compared with the backup's object counts (<see cref="EtcdKeyspace.Compare"/>; resources of
/// groups aggregated API servers serve, read from the backup's APIServices by <see cref="AggregatedApiGroups"/>, are
/// noted, not held to their counts; no key at all under <c>/registry/</c> fails it); the etcd and
/// the file are removed whatever happens. Where the host cannot rebuild (<see cref="IEtcdRehearsals.Unavailable"/>),
/// only the integrity is checked, and the result says why. No cluster is touched.
/// </summary>
public sealed class EtcdRebuildDrill(IArtifactStore store, IEtcdRehearsals rehearsals, IEtcdConnector connector, TimeProvider time)
{
    /// <summary>
    /// Drills the snapshot <paramref name="manifest"/> records, under <paramref name="backupPrefix"/>; the throwaway member
    /// is named <paramref name="drillName"/>. Every failure is a problem in the result; cancellation is not caught.
    /// </summary>
    public async Task<EtcdDrillResult> RunAsync(BackupManifest manifest, string backupPrefix, string drillName, CancellationToken cancellationToken = default)
    {
        var unavailable = rehearsals.Unavailable;
        var result = new EtcdDrillResult
        {
            Snapshot = manifest.Etcd?.Snapshot?.Path ?? ArtifactLayout.EtcdSnapshotPath,
            Scope = unavailable is null ? EtcdDrillScope.Rebuild : EtcdDrillScope.IntegrityOnly,
            IntegrityOnlyBecause = unavailable,
        };
        if (manifest.Etcd?.Snapshot is not { } snapshot)
        {
            return result with
            {
                Problems = [$"backup {manifest.BackupId} has no etcd snapshot"
                    + (manifest.Etcd is null ? ": its policy has no etcd layer"
                        : manifest.Etcd.NotApplicable is { } why ? $": {why}"
                        : ": the etcd layer took none (see the backup's problems)")],
            };
        }

        var start = time.GetTimestamp();
        IEtcdSnapshotFile? file = null;
        try
        {
            file = unavailable is null ? rehearsals.NewSnapshotFile() : null;
            var integrity = await EtcdSnapshotDownload.CopyAsync(store, backupPrefix, snapshot, file?.Content, cancellationToken);
            var download = time.GetElapsedTime(start).TotalSeconds;
            result = result with { DownloadSeconds = download };
            if (integrity is not null)
            {
                return result with { Problems = [integrity] };
            }

            if (file is null)
            {
                return result;
            }

            await file.Content.DisposeAsync();
            IReadOnlySet<string> aggregated;
            try
            {
                aggregated = await AggregatedApiGroups.ReadAsync(store, backupPrefix, manifest, cancellationToken);
            }
            catch (Exception e) when (e is ArtifactNotFoundException or ArtifactRejectedException)
            {
                return result with { Problems = [$"the backup's objects ({ArtifactLayout.ResourcesArchive}) could not be read for the API groups aggregated API servers serve: {e.Message}"] };
            }

            return await RebuildAsync(result, manifest, aggregated, file.Path, drillName, download, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return result with { DownloadSeconds = result.DownloadSeconds ?? time.GetElapsedTime(start).TotalSeconds, Problems = [Describe(e)] };
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }

    private async Task<EtcdDrillResult> RebuildAsync(
        EtcdDrillResult result, BackupManifest manifest, IReadOnlySet<string> aggregated, string path, string drillName, double download, CancellationToken cancellationToken)
    {
        IRehearsedEtcd rehearsed;
        try
        {
            rehearsed = await rehearsals.RebuildAsync(path, drillName, cancellationToken);
        }
        catch (EtcdRehearsalException e)
        {
            // etcd refuses data a newer minor version wrote: name the snapshot's version so the runner's can be checked against it.
            var version = manifest.Etcd?.Snapshot?.EtcdVersion is { Length: > 0 } v ? $" (the snapshot was taken from etcd {v}: the runner's etcd must be that minor version or newer)" : "";
            return result with { Problems = [$"the rebuild failed: {e.Message}{version}"] };
        }

        try
        {
            result = result with
            {
                RestoreTool = rehearsed.RestoreTool,
                RestoreSeconds = rehearsed.RestoreDuration.TotalSeconds,
                StartSeconds = rehearsed.StartDuration.TotalSeconds,
            };
            result = await CheckAsync(result, manifest, aggregated, rehearsed.Access, download, cancellationToken);
        }
        finally
        {
            try
            {
                await rehearsed.DisposeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The drill's verdict stands; what it left behind is a problem of its own.
                result = result with { RtoSeconds = null, Problems = [.. result.Problems, $"the rebuilt etcd could not be removed: {e.Message}"] };
            }
        }

        return result;
    }

    /// <summary>
    /// Lists the rebuilt etcd's keys under <see cref="EtcdKeyspace.Root"/> — none at all is a problem whatever the backup
    /// counted — and compares them with the backup's objects, those of <paramref name="aggregated"/> groups noted, not held to them.
    /// </summary>
    private async Task<EtcdDrillResult> CheckAsync(
        EtcdDrillResult result, BackupManifest manifest, IReadOnlySet<string> aggregated, EtcdAccess access, double download, CancellationToken cancellationToken)
    {
        var check = time.GetTimestamp();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long keys = 0;
        try
        {
            await using var endpoints = await connector.ConnectAsync(access, cancellationToken);
            await foreach (var key in endpoints.Members[0].KeysAsync(EtcdKeyspace.Root, cancellationToken))
            {
                keys++;
                EtcdKeyspace.Add(counts, key);
            }
        }
        catch (EtcdRequestException e)
        {
            return result with { Problems = [$"the rebuilt etcd did not list its keys: {e.Message}"] };
        }

        var resources = EtcdKeyspace.Compare(counts, manifest.Counts.ByResource, aggregated);
        var checkSeconds = time.GetElapsedTime(check).TotalSeconds;
        var problems = resources.Where(r => r.Problem is not null).Select(r => r.Problem!).ToList();
        if (keys == 0)
        {
            // Any cluster's etcd holds its namespaces, nodes and the API server's own keys: none is no Kubernetes etcd.
            problems.Insert(0, $"the rebuilt etcd has no key under {EtcdKeyspace.Root}: the snapshot holds no Kubernetes objects "
                + "(not the cluster's etcd, or its API server stores under another --etcd-prefix)");
        }

        return result with
        {
            Keys = keys,
            Resources = resources,
            CheckSeconds = checkSeconds,
            Problems = problems,
            RtoSeconds = problems.Count == 0 ? download + result.RestoreSeconds + result.StartSeconds + checkSeconds : null,
        };
    }

    private static string Describe(Exception e) => e switch
    {
        EtcdRehearsalException or EtcdRequestException => e.Message,
        IOException => $"the snapshot could not be read or written: {e.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
