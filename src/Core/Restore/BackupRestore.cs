using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;
using Strata.Core.Runs;

namespace Strata.Core.Restore;

/// <summary>
/// Restores a backup's API objects into a cluster: locate the backup → open it (<see cref="BackupOpening"/>: an invalid
/// signature, or an encrypted backup no configured key unwraps, refuses the restore) → check every artifact
/// against the manifest while reading the archive once (nothing is applied before the whole
/// backup has passed) → plan the tiers → apply tier by tier, concurrently within a tier, waiting
/// for CRDs to be Established, and before the claims' tier making the snapshots they are restored
/// from usable in their namespace (<see cref="Snapshots.ClaimsFromSnapshots"/>) → restore owner
/// references → run record with a result per object.
/// </summary>
public sealed class BackupRestore(
    IClusterWriter target,
    IArtifactStore store,
    IRunHistory history,
    TimeProvider time,
    RestoreOptions? options = null)
{
    private readonly RestoreOptions _options = options ?? new RestoreOptions();

    /// <summary>
    /// Runs the restore and records it. A refused restore (<see cref="RestoreRefusedException"/>)
    /// is recorded as failed and rethrown; so is failed infrastructure.
    /// </summary>
    public async Task<RestoreRecord> RunAsync(RestoreRequest request, IProgress<RestoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var startedAt = time.GetUtcNow();
        var record = new RestoreRecord
        {
            Id = request.RestoreId ?? BackupId.New(startedAt, _options.Ids),
            BackupId = request.BackupId,
            TargetCluster = request.TargetCluster,
            Status = RestoreStatus.InProgress,
            DryRun = request.DryRun,
            StartedAt = startedAt,
            Options = request.ToSummary(),
            RequestedBy = request.RequestedBy,
        };
        await history.SaveRestoreAsync(record, cancellationToken);
        try
        {
            var completed = await RestoreAsync(request, record, progress, cancellationToken);
            await history.SaveRestoreAsync(completed, CancellationToken.None);
            return completed;
        }
        catch (Exception e)
        {
            var failed = record with
            {
                Status = RestoreStatus.Failed,
                CompletedAt = time.GetUtcNow(),
                Error = e is OperationCanceledException ? "cancelled" : e.Message,
            };
            await history.SaveRestoreAsync(failed, CancellationToken.None);
            throw;
        }
    }

    private async Task<RestoreRecord> RestoreAsync(RestoreRequest request, RestoreRecord record, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        var problems = new OperationResult();
        using var backup = await LocateAsync(request, problems, cancellationToken);
        record = record with { SourceCluster = backup.Cluster, Signature = backup.Signature };
        var discovery = await target.DiscoverAsync(cancellationToken);
        var selection = new RestoreSelection(request, discovery);
        var volumeRecords = await VerifyArtifactsAsync(backup, cancellationToken);
        var inventory = Snapshots.SnapshotInventory.From(request.BackupId, backup.Cluster, backup.Manifest, volumeRecords);
        selection.UseSnapshots(inventory);
        var snapshots = new Snapshots.ClaimsFromSnapshots(target, request, record.Id, inventory, time, _options, problems);
        var applier = new ObjectApplier(target, request, selection, snapshots, backup.SecretValuesKey);

        await using var spool = new RestoreSpool(_options.Scratch);
        var claims = new List<(string Namespace, string Claim)>();
        await ReadVerifiedAsync(backup, selection, spool, applier, claims, progress, cancellationToken);
        selection.Seal();

        var order = RestoreOrder.Default.WithPriorities(request.Priorities, name => IsCustomName(selection, name), out var ignored);
        foreach (var note in ignored)
        {
            problems.Warning(note, reason: ProblemReasons.PriorityIgnored);
        }

        var plan = RestorePlanner.Plan(spool.Types, order, t => selection.IsCustom(t.Group, t.Resource));
        var total = spool.Total;
        long done = 0;
        foreach (var tier in plan)
        {
            var resolutions = tier.Types.ToDictionary(t => t, t => TargetTypes.Resolve(t, discovery));
            foreach (var (type, resolution) in resolutions.Where(r => r.Value is { Target: not null, Note: not null }))
            {
                problems.Warning(resolution.Note!, type.QualifiedName, reason: ProblemReasons.VersionChanged);
            }

            if (tier.Tier.RestoresSnapshots && claims.Count > 0)
            {
                progress?.Report(new RestoreProgress("restoring snapshots", done, total, tier.Tier.Name));
                await snapshots.PrepareAsync(claims, discovery, applier.CreatesNamespace, cancellationToken);
            }

            progress?.Report(new RestoreProgress("applying", done, total, tier.Tier.Name));
            await Parallel.ForEachAsync(
                Documents(spool, tier.Types, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    await applier.ApplyAsync(item.Type, resolutions[item.Type], item.Document, ct);
                    var now = Interlocked.Increment(ref done);
                    if (now % 100 == 0)
                    {
                        progress?.Report(new RestoreProgress("applying", now, total, tier.Tier.Name));
                    }
                });

            if (tier.Tier.WaitForEstablished && !request.DryRun && applier.CreatedDefinitions.Any())
            {
                progress?.Report(new RestoreProgress("waiting for CRDs", done, total, tier.Tier.Name));
                await WaitForEstablishedAsync(discovery, applier.CreatedDefinitions.ToList(), problems, cancellationToken);
                discovery = await target.DiscoverAsync(cancellationToken); // the new resources are served now
            }
        }

        if (!request.DryRun)
        {
            progress?.Report(new RestoreProgress("restoring owner references", done, total, null));
            // An object left without its owner references is not what the backup held (garbage collection, adoption):
            // an error of the restore, not a note.
            foreach (var problem in await applier.RelinkDeferredOwnersAsync(cancellationToken))
            {
                problems.Error(problem.Message, problem.Resource, problem.Namespace, problem.Name, ProblemReasons.OwnerReferences);
            }
        }

        progress?.Report(new RestoreProgress("done", done, total, null));
        return Complete(record, applier, snapshots, selection, problems);
    }

    private RestoreRecord Complete(
        RestoreRecord record, ObjectApplier applier, Snapshots.ClaimsFromSnapshots snapshots, RestoreSelection selection, OperationResult problems)
    {
        var items = applier.Results.Concat(snapshots.Results)
            .OrderBy(r => r.Resource, StringComparer.Ordinal)
            .ThenBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var counts = Enum.GetValues<RestoreItemOutcome>().ToDictionary(
            o => JsonNamingPolicy.CamelCase.ConvertName(o.ToString()),
            o => (long)items.Count(i => i.Outcome == o));
        counts["excluded"] = selection.Excluded + applier.NotNeeded;
        counts[ClaimsFromSnapshotsCount] = snapshots.ClaimsCreated;

        var broken = items.Count(i => i.Outcome is RestoreItemOutcome.Failed or RestoreItemOutcome.SkippedUnsupported);
        var status = broken == 0 ? (problems.HasErrors ? RestoreStatus.PartiallyFailed : RestoreStatus.Succeeded)
            : broken == items.Count ? RestoreStatus.Failed
            : RestoreStatus.PartiallyFailed;
        return record with
        {
            Status = status,
            CompletedAt = time.GetUtcNow(),
            Counts = counts,
            Disarmed = new SortedDictionary<string, long>(applier.Disarmed.ToDictionary(), StringComparer.Ordinal),
            Items = items,
            Problems = problems.Problems,
            Error = status == RestoreStatus.Failed ? "no object could be restored; see the items" : null,
        };
    }

    /// <summary>The count of claims created with a snapshot as their data source (in a dry run: that would be).</summary>
    public const string ClaimsFromSnapshotsCount = "claimsFromSnapshots";

    private static bool IsCustomName(RestoreSelection selection, string qualifiedName)
    {
        var dot = qualifiedName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && selection.IsCustom(qualifiedName[(dot + 1)..], qualifiedName[..dot]);
    }

    private static async IAsyncEnumerable<(SourceType Type, SpooledDocument Document)> Documents(
        RestoreSpool spool, IReadOnlyList<SourceType> types, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var type in types)
        {
            await foreach (var document in spool.ReadAsync(type, cancellationToken))
            {
                yield return (type, document);
            }
        }
    }

    /// <summary>Finds the backup in the run history, or else in the store; reads and checks its manifest.</summary>
    private async Task<LocatedBackup> LocateAsync(RestoreRequest request, OperationResult problems, CancellationToken cancellationToken)
    {
        if (!BackupId.IsValid(request.BackupId))
        {
            throw new RestoreRefusedException($"'{request.BackupId}' is not a backup id");
        }

        var recorded = await history.FindBackupAsync(request.BackupId, cancellationToken);
        var prefix = recorded?.Location ?? await StoredBackups.FindPrefixAsync(store, request.BackupId, cancellationToken)
            ?? throw new RestoreRefusedException($"no backup '{request.BackupId}' in the run history or in the store at {store.Location}");

        OpenedBackup? opened;
        try
        {
            opened = await BackupOpening.OpenAsync(store, prefix, _options.Keyring, _options.SignatureRequiredFor(recorded, request.AllowUnsigned), cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new RestoreRefusedException($"backup {request.BackupId}: {e.Message}", e);
        }
        catch (BackupTrustException e)
        {
            throw new RestoreRefusedException($"refused: {e.Message}; nothing was restored", e);
        }

        if (opened is null && !request.AllowIncomplete)
        {
            var status = recorded is null ? string.Empty : $" (its run is {recorded.Status})";
            throw new RestoreRefusedException(
                $"backup {request.BackupId} has no manifest{status}: it never completed, so nothing in it can be checked. " +
                "Restore what it holds anyway with --allow-incomplete");
        }

        if (opened is null)
        {
            problems.Warning($"backup {request.BackupId} has no manifest: it never completed, and its artifacts could not be checked", reason: ProblemReasons.Incomplete);
        }
        else if (opened.Signature.State != SignatureState.Valid)
        {
            problems.Warning($"backup {request.BackupId}: {opened.Signature.Detail}; its hashes are checked, but not proven to be the ones written", reason: ProblemReasons.Unsigned);
        }

        return new LocatedBackup(prefix, recorded?.Cluster ?? opened?.Manifest.Cluster, opened?.Manifest, opened?.Artifacts ?? store, opened);
    }

    /// <summary>
    /// Compares every artifact but the archive with the manifest (size and SHA-256); any mismatch refuses the restore.
    /// Returns the bytes of the volume layer's records, by path, as they were checked.
    /// </summary>
    private async Task<Dictionary<string, byte[]>> VerifyArtifactsAsync(LocatedBackup backup, CancellationToken cancellationToken)
    {
        if (backup.Manifest is not null && !backup.Manifest.Artifacts.Any(a => a.Path == ArtifactLayout.ResourcesArchive))
        {
            throw new RestoreRefusedException($"the manifest of {backup.Prefix} lists no {ArtifactLayout.ResourcesArchive}: there are no objects to restore");
        }

        var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var artifact in backup.Manifest?.Artifacts.Where(a => a.Path != ArtifactLayout.ResourcesArchive) ?? [])
        {
            if (await VerifyAsync(backup.Artifacts, backup.Prefix, artifact, Snapshots.SnapshotInventory.Keeps(artifact), cancellationToken) is { } bytes)
            {
                kept[artifact.Path] = bytes;
            }
        }

        return kept;
    }

    /// <summary>
    /// Reads the resources archive once: every entry is checked for safety and filtered, kept
    /// documents go to the spool (and the claims among them to <paramref name="claims"/>), and the
    /// archive's size and SHA-256 are compared with the manifest. Any mismatch refuses the restore.
    /// </summary>
    private async Task ReadVerifiedAsync(
        LocatedBackup backup, RestoreSelection selection, RestoreSpool spool, ObjectApplier applier, List<(string, string)> claims,
        IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        var expected = backup.Manifest?.Artifacts.FirstOrDefault(a => a.Path == ArtifactLayout.ResourcesArchive);
        var key = ArtifactLayout.ArtifactKey(backup.Prefix, ArtifactLayout.ResourcesArchive);
        try
        {
            await using var stream = await backup.Artifacts.OpenReadAsync(key, cancellationToken);
            var reader = new ResourceArchiveReader(stream, key);
            long read = 0;
            await foreach (var entry in reader.ReadAsync(cancellationToken))
            {
                if (++read % 1000 == 0)
                {
                    progress?.Report(new RestoreProgress("verifying", read, 0, null));
                }

                var type = SourceType.Of(entry.Path);
                if (TryParse(reader, entry) is not { } obj)
                {
                    applier.RecordUnreadable(type, entry.Path);
                    continue;
                }

                if (backup.SecretValuesKey is { } secretValuesKey && ObjectApplier.IsSecret(type))
                {
                    // Every token must decrypt before anything is applied; the plaintext is dropped here (the spool keeps tokens).
                    SecretValues.DecryptInPlace(new KubeObject(obj.Json.DeepClone().AsObject()), entry.RawPath, secretValuesKey);
                }

                var selected = selection.Consider(type, obj);
                if (selected == Selection.Selected && type.QualifiedName == "persistentvolumeclaims" && obj.Namespace is { } claimNs)
                {
                    claims.Add((claimNs, obj.Name));
                }

                if (selected != Selection.Excluded)
                {
                    await spool.AppendAsync(type, entry.RawPath, selected == Selection.Selected, entry.Content, cancellationToken);
                }
            }

            if (expected is not null)
            {
                Check(key, expected, reader.Bytes, reader.Sha256Hex);
            }
        }
        catch (ArtifactNotFoundException e)
        {
            throw new RestoreRefusedException($"{key} is missing: {e.Message}", e);
        }
        catch (ArtifactRejectedException e)
        {
            throw new RestoreRefusedException($"refused: {e.Message}; nothing was restored", e);
        }
        catch (ArtifactDecryptionException e)
        {
            throw new RestoreRefusedException($"refused: {e.Message}; nothing was restored", e);
        }
    }

    /// <summary>Checks one artifact against the manifest; returns its bytes when <paramref name="keep"/>, once they passed.</summary>
    private static async Task<byte[]?> VerifyAsync(IArtifactStore artifacts, string prefix, ArtifactEntry artifact, bool keep, CancellationToken cancellationToken)
    {
        var key = ArtifactLayout.ArtifactKey(prefix, artifact.Path);
        try
        {
            await using var stream = await artifacts.OpenReadAsync(key, cancellationToken);
            await using var hashing = new HashingStream(stream);
            using var copy = keep ? new MemoryStream() : null;
            await hashing.CopyToAsync(copy ?? Stream.Null, cancellationToken);
            Check(key, artifact, hashing.BytesHashed, hashing.Sha256Hex);
            return copy?.ToArray();
        }
        catch (ArtifactNotFoundException e)
        {
            throw new RestoreRefusedException($"{key} is listed in the manifest but missing from the store ({e.Message}); nothing was restored", e);
        }
        catch (ArtifactDecryptionException e)
        {
            throw new RestoreRefusedException($"refused: {e.Message}; nothing was restored", e);
        }
    }

    private static void Check(string key, ArtifactEntry expected, long size, string sha256)
    {
        if (size != expected.Size || !string.Equals(sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new RestoreRefusedException(
                $"refused: {key} does not match the manifest (SHA-256 {sha256}, {size:N0} bytes; the manifest says {expected.Sha256}, {expected.Size:N0} bytes): " +
                "it was altered or damaged after the backup; nothing was restored");
        }
    }

    /// <summary>The object of one entry; null when it does not parse (recorded as unreadable); a document nested too deep refuses the archive.</summary>
    private static KubeObject? TryParse(ResourceArchiveReader reader, ResourceArchiveEntry entry)
    {
        try
        {
            return JsonNode.Parse(entry.Content, documentOptions: new JsonDocumentOptions { MaxDepth = reader.Limits.MaxJsonDepth }) is JsonObject json ? new KubeObject(json) : null;
        }
        catch (JsonException)
        {
            reader.ThrowIfNestedTooDeep(entry);
            return null;
        }
    }

    private async Task WaitForEstablishedAsync(DiscoveryResult discovery, IReadOnlyList<string> names, OperationResult problems, CancellationToken cancellationToken)
    {
        var crds = discovery.Find("apiextensions.k8s.io", "customresourcedefinitions");
        if (crds is null)
        {
            return;
        }

        var deadline = time.GetUtcNow() + _options.EstablishTimeout;
        var pending = new HashSet<string>(names, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            foreach (var name in pending.ToList())
            {
                if (await target.GetAsync(crds, null, name, cancellationToken) is { } crd && IsEstablished(crd))
                {
                    pending.Remove(name);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            if (time.GetUtcNow() >= deadline)
            {
                foreach (var name in pending)
                {
                    problems.Warning($"not Established after {_options.EstablishTimeout.TotalSeconds:0} s; its custom resources may fail",
                        RestoreOrder.CustomResourceDefinitions, name: name, reason: ProblemReasons.NotEstablished);
                }

                return;
            }

            await Task.Delay(_options.EstablishPollInterval, time, cancellationToken);
        }
    }

    private static bool IsEstablished(KubeObject crd) =>
        (crd.Json["status"] as JsonObject)?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == "Established" && c["status"]?.GetValue<string>() == "True");

    /// <summary>The backup found: its manifest (null when incomplete), the store view its artifacts read through, and what opened it.</summary>
    private sealed record LocatedBackup(string Prefix, string? Cluster, BackupManifest? Manifest, IArtifactStore Artifacts, OpenedBackup? Opened) : IDisposable
    {
        public SignatureCheck? Signature => Opened?.Signature;

        /// <summary>The data key Secret values are decrypted with; null when they are not encrypted.</summary>
        public DataKey? SecretValuesKey => Opened is { SecretValuesEncrypted: true } opened ? opened.DataKey : null;

        public void Dispose() => Opened?.Dispose();
    }
}
