using System.Globalization;
using System.Text;
using Strata.Adapters.Local;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Configuration;
using Strata.Core.Results;
using Strata.Core.Runs;
using Strata.Core.Verification;

/// <summary>
/// The status benchmark's fleet and its run history: 20 clusters × 5 policies, each pair backed up hourly up to now, written
/// through <see cref="LocalRunHistory"/> (the format <c>strata serve --store DIR</c> reads from <c>DIR/history/</c>). About 88% of
/// backups verified, the rest failed, partial or failing verification; every artifact its layer and size; a drill with a
/// measured RTO every tenth backup. Two pairs' last twelve backups failed (breached at a 6 h RPO) and two pairs' newest backup
/// waits for verification, so the page has every state to draw.
/// </summary>
internal static class StatusHistory
{
    public const int Clusters = 20;
    public const int Policies = 5;

    // What each policy backs up, as layers: every policy holds API objects; the rest add volumes, databases, etcd.
    private static readonly string[][] PolicyLayers =
    [
        ["objects"],
        ["objects", "volumes"],
        ["objects", "databases"],
        ["objects", "etcd"],
        ["objects", "volumes", "databases", "etcd"],
    ];

    private static readonly string[] Resources =
        ["configmaps", "secrets", "deployments.apps", "services", "statefulsets.apps", "persistentvolumeclaims", "serviceaccounts",
         "roles.rbac.authorization.k8s.io", "rolebindings.rbac.authorization.k8s.io", "ingresses.networking.k8s.io", "widgets.example.com", "namespaces"];

    public static string Cluster(int c) => $"cluster-{c:D2}";

    public static string Policy(int p) => $"policy-{p}";

    /// <summary>strata.yaml naming the fleet; every cluster's API server is <paramref name="server"/> (the benchmark's listener that counts connections).</summary>
    public static string Configuration(Uri server)
    {
        var yaml = new StringBuilder("clusters:\n");
        for (var c = 0; c < Clusters; c++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {Cluster(c)}\n    server: {server.AbsoluteUri}\n    token: {{ env: STRATA_BENCH_TOKEN }}\n");
        }

        yaml.Append("policies:\n");
        for (var p = 0; p < Policies; p++)
        {
            yaml.Append(CultureInfo.InvariantCulture,
                $"  - name: {Policy(p)}\n    clusters: [\"cluster-*\"]\n    schedule: \"{p * 10} * * * *\"\n    rpo: 6h\n    verification:\n      drill:\n        schedule: \"0 4 * * *\"\n        rto: 15m\n");
        }

        return yaml.ToString();
    }

    /// <summary>Writes <paramref name="backups"/> backup records (and a drill every tenth) ending at <paramref name="now"/>; returns how many drills.</summary>
    public static async Task<int> SeedAsync(LocalRunHistory history, int backups, DateTimeOffset now)
    {
        var perPair = backups / (Clusters * Policies);
        var drills = 0;
        var pairs = Enumerable.Range(0, Clusters * Policies).ToList();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (pair, ct) =>
        {
            var (c, p) = (pair / Policies, pair % Policies);
            var random = new Random(pair);
            var pairDrills = 0;
            for (var i = 0; i < perPair; i++)
            {
                // i = 0 is the newest backup; one an hour before it, and so on back.
                var startedAt = now - TimeSpan.FromHours(i) - TimeSpan.FromMinutes(10 + p * 10) + TimeSpan.FromSeconds(random.Next(0, 30));
                var status = (c, p, i) switch
                {
                    (3, 1, < 12) or (7, 4, < 12) => BackupStatus.Failed,   // two pairs failing for 12 hours: breached
                    (5, 2, 0) or (11, 0, 0) => BackupStatus.Succeeded,     // two pairs whose newest awaits verification
                    _ => random.NextDouble() switch
                    {
                        < 0.88 => BackupStatus.Verified,
                        < 0.93 => BackupStatus.Failed,
                        < 0.97 => BackupStatus.PartiallyFailed,
                        _ => BackupStatus.VerificationFailed,
                    },
                };
                var record = Backup(Cluster(c), Policy(p), PolicyLayers[p], startedAt, status, i, random);
                await history.SaveBackupAsync(record, ct);
                if (i % 10 == 5 && status == BackupStatus.Verified)
                {
                    await history.SaveDrillAsync(Drill(record, random), ct);
                    pairDrills++;
                }
            }

            Interlocked.Add(ref drills, pairDrills);
        });
        return drills;
    }

    private static BackupRecord Backup(string cluster, string policy, string[] layers, DateTimeOffset startedAt, BackupStatus status, int age, Random random)
    {
        var id = BackupId.Derive(startedAt, "bench", cluster, policy);
        var objects = 12_000 - age + random.Next(-40, 40); // a slow drift: the older, the fewer objects
        var counts = Resources.Select((r, k) => (r, n: (long)(objects / Resources.Length) + k)).ToDictionary(x => x.r, x => x.n);
        var artifacts = new List<ArtifactEntry> { new(ArtifactLayout.Manifest, 4_000 + random.Next(500), Hash(random)) };
        if (status != BackupStatus.Failed)
        {
            artifacts.Add(new(ArtifactLayout.ResourcesArchive, objects * 1_250L + random.Next(100_000), Hash(random)));
            if (layers.Contains("volumes"))
            {
                artifacts.AddRange(Enumerable.Range(0, 3).Select(v => new ArtifactEntry(ArtifactLayout.VolumeRecordPath("shop", $"data-db-{v}"), 2_000 + random.Next(300), Hash(random))));
            }

            if (layers.Contains("databases"))
            {
                artifacts.Add(new(ArtifactLayout.DatabaseDumpPath("shop", "db", "orders", "dump"), 1_100_000_000L + random.Next(50_000_000), Hash(random)));
                artifacts.Add(new(ArtifactLayout.DatabaseDumpPath("shop", "db", "catalog", "dump"), 240_000_000L + random.Next(10_000_000), Hash(random)));
            }

            if (layers.Contains("etcd"))
            {
                artifacts.Add(new(ArtifactLayout.EtcdSnapshotPath, 180_000_000L + random.Next(20_000_000), Hash(random)));
                artifacts.Add(new(ArtifactLayout.ControlPlaneFilesPath("control-plane-0"), 90_000 + random.Next(1_000), Hash(random)));
            }
        }

        var completedAt = startedAt + TimeSpan.FromSeconds(40 + random.Next(200));
        return new BackupRecord
        {
            Id = id,
            Cluster = cluster,
            Policy = policy,
            Status = status,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            Location = ArtifactLayout.BackupPrefix(cluster, policy, id),
            ServerVersion = "v1.31.4",
            Scope = new BackupScopeSummary([], ["kube-system"], null, [], [], "auto", false),
            ObjectCount = status == BackupStatus.Failed ? 0 : objects,
            CountsByResource = status == BackupStatus.Failed ? new Dictionary<string, long>() : counts,
            Artifacts = artifacts,
            Error = status == BackupStatus.Failed ? "the API server did not answer: connection refused (cluster unreachable for 3 attempts)" : null,
            Problems = status == BackupStatus.PartiallyFailed
                ? [new Problem(ProblemSeverity.Error, "forbidden: cannot list secrets", "secrets", "payments", null, "Forbidden")]
                : [],
            RequestedBy = "schedule-tick",
            Verification = status is BackupStatus.Verified or BackupStatus.VerificationFailed
                ? new VerificationReport
                {
                    BackupId = id,
                    StartedAt = completedAt + TimeSpan.FromMinutes(2),
                    CompletedAt = completedAt + TimeSpan.FromMinutes(3),
                    Artifacts = [.. artifacts.Select(a => new ArtifactVerification(a.Path, a.Size, a.Sha256, ["sha256"], new Dictionary<string, string>()))],
                    Counts = new ObjectCounts(objects, counts, new Dictionary<string, long> { ["shop"] = objects / 2, ["payments"] = objects - objects / 2 }),
                    ErrorCount = status == BackupStatus.VerificationFailed ? 1 : 0,
                }
                : null,
        };
    }

    private static DrillRecord Drill(BackupRecord backup, Random random)
    {
        var startedAt = backup.CompletedAt!.Value + TimeSpan.FromMinutes(30);
        var passed = random.NextDouble() < 0.9;
        var rto = 300 + random.Next(400);
        var id = BackupId.Derive(startedAt, "drill", backup.Id);
        return new DrillRecord
        {
            Id = id,
            BackupId = backup.Id,
            Policy = backup.Policy,
            Cluster = backup.Cluster,
            Target = backup.Cluster,
            Mode = DrillMode.Scratch,
            Status = passed ? DrillStatus.Passed : DrillStatus.Failed,
            StartedAt = startedAt,
            CompletedAt = startedAt + TimeSpan.FromSeconds(rto + 60),
            RtoSeconds = passed ? rto : null,
            RtoObjectiveSeconds = 900,
            RestoreSeconds = rto - 60,
            RestoreId = id,
            Counts = new Dictionary<string, long> { ["created"] = backup.ObjectCount, ["skippedExisting"] = 3 },
            Namespaces = new Dictionary<string, string> { ["shop"] = $"drill-{id[^6..]}-shop", ["payments"] = $"drill-{id[^6..]}-payments" },
            Error = passed ? null : "assertion deployments.apps shop/web Available=True timed out after 10m",
            RequestedBy = "drill-tick",
        };
    }

    private static string Hash(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
