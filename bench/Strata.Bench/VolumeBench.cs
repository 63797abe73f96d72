using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Adapters.Kubernetes;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.Adapters.Local;
using Strata.Core.Backup;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.TestKit.Volumes;

/// <summary>
/// The volume layer against its own promise: N claims in one namespace whose simulated CSI driver takes
/// <c>delay</c> to cut each snapshot. Each round starts a fresh sandbox (the published snapshot CRDs, the simulated
/// snapshot controller) seeded with API objects and the claims, then, in a rotating order: a policy backup of the
/// objects alone (BackupCapture, no layers) and one with the volume layer at its defaults, both in this process over
/// HTTPS; and what users script today: <c>kubectl create -f</c> of N VolumeSnapshots and
/// <c>kubectl wait --for=jsonpath={.status.readyToUse}=true</c> on all of them. Reports the volume layer's span (first
/// request to last snapshot ready, from the records), its ratio to one snapshot's time, how long the objects took
/// with and without the volumes beside them (from the capture's progress: the last object type listed), and kubectl's time.
/// </summary>
internal static class VolumeBench
{
    private const string Namespace = "bench-volumes", Driver = "disk.csi.bench.example", Class = "bench-ssd";

    public const string Header = """
        | claims | one snapshot | volume layer (first request → last ready) | ÷ one snapshot | objects listed, alone | objects listed, beside the volumes | whole backup with volumes | kubectl create + wait | kubectl ÷ volume layer |
        |---:|---:|---|---:|---|---|---|---|---:|
        """;

    public static async Task<string> RunAsync(int claims, int objects, TimeSpan delay, int rounds)
    {
        var layer = new List<double>();
        var alone = new List<double>();
        var beside = new List<double>();
        var whole = new List<double>();
        var kubectl = new List<double>();
        var loads = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            await using var server = await StartAsync(claims, objects, delay);
            var dir = Directory.CreateTempSubdirectory("strata-volume-bench-");
            try
            {
                var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
                await File.WriteAllTextAsync(kubeconfig, server.Kubeconfig("bench"));
                using var client = new KubernetesClient(Kubeconfig.Parse(server.Kubeconfig("bench"), "bench kubeconfig").Resolve(null, TimeProvider.System));
                var steps = new List<Func<Task>>
                {
                    async () => alone.Add((await CaptureAsync(client, dir.FullName, $"alone-{round}", withVolumes: false)).ObjectsListed),
                    async () =>
                    {
                        var run = await CaptureAsync(client, dir.FullName, $"volumes-{round}", withVolumes: true);
                        if (run.Snapshots != claims)
                        {
                            throw new InvalidOperationException($"round {round}: {run.Snapshots} of {claims} snapshots ready");
                        }

                        beside.Add(run.ObjectsListed);
                        whole.Add(run.Whole);
                        layer.Add(run.VolumeSpan);
                    },
                    async () => kubectl.Add(await KubectlAsync(kubeconfig, dir.FullName, claims, round)),
                };
                for (var i = 0; i < steps.Count; i++)
                {
                    await steps[(i + round) % steps.Count]();
                }

                loads.Add(Figures.Load());
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: volume layer {layer[^1]:0.00} s, objects alone {alone[^1]:0.00} s, beside {beside[^1]:0.00} s, whole {whole[^1]:0.00} s, kubectl {kubectl[^1]:0.00} s, load {loads[^1]}"));
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        }

        var one = delay.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {claims} | {one:0.0} s | {Figures.Runs(layer)} | {Figures.Median(layer) / one:0.00}× | {Figures.Runs(alone)} | {Figures.Runs(beside)} | {Figures.Runs(whole)} | {Figures.Runs(kubectl)} | {Figures.Median(kubectl) / Figures.Median(layer):0.00}× |")
            + $"\n| | load (1 min) after each round | {string.Join(", ", loads)} | | | | | | |";
    }

    private static async Task<SandboxApiServer> StartAsync(int claims, int objects, TimeSpan delay)
    {
        var server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            Controllers = new SimulatedControllers { Snapshots = new SimulatedSnapshots { SnapshotDelay = delay } },
        });
        VolumeSnapshotCrds.Install(server);
        server.Create(StorageObjects.StorageClass(Class, Driver));
        server.Create(StorageObjects.VolumeSnapshotClass("bench-snapshots", Driver, isDefault: true));
        server.CreateNamespace(Namespace);
        for (var i = 0; i < claims; i++)
        {
            server.Create(StorageObjects.Claim(Namespace, $"data-{i:D3}", Class, "10Gi"));
        }

        Seeder.Seed(server, objects);
        return server;
    }

    private sealed record CaptureRun(double Whole, double ObjectsListed, double VolumeSpan, int Snapshots);

    /// <summary>One policy backup through BackupCapture, timed; the objects' time is when the last object type was listed.</summary>
    private static async Task<CaptureRun> CaptureAsync(KubernetesClient client, string dir, string name, bool withVolumes)
    {
        var clock = Stopwatch.StartNew();
        var listed = new ObjectsListed(clock);
        IReadOnlyList<IBackupLayer> layers = withVolumes
            ? [new VolumeLayer(new VolumeSettings { Mode = VolumeSnapshotMode.Snapshot }, new BackupScope(), [], client)]
            : [];
        var store = new LocalFolderArtifactStore(Path.Combine(dir, "store"));
        var outcome = await new BackupCapture(client, store, new LocalRunHistory(Path.Combine(dir, "history")), TimeProvider.System, new BackupCaptureOptions { Ids = Strata.Adapters.Hosting.RandomIdSource.Instance }, layers: layers)
            .RunAsync(new BackupRequest("bench", new BackupScope(), name), listed);
        var whole = clock.Elapsed.TotalSeconds;
        var volumes = outcome.Manifest?.Volumes ?? [];
        var ready = volumes.Where(v => v.ReadyToUse && v.StartedAt is not null && v.Duration is not null).ToList();
        var span = ready.Count == 0 ? 0 : (ready.Max(v => v.StartedAt!.Value + v.Duration!.Value) - ready.Min(v => v.StartedAt!.Value)).TotalSeconds;
        return new CaptureRun(whole, listed.Seconds, span, ready.Count);
    }

    /// <summary>Records, as it happens, when the capture reported its last object type listed.</summary>
    private sealed class ObjectsListed(Stopwatch clock) : IProgress<BackupProgress>
    {
        public double Seconds { get; private set; }

        public void Report(BackupProgress value)
        {
            if (value.Layer is null && value.ResourceTypesTotal > 0 && value.ResourceTypesDone == value.ResourceTypesTotal)
            {
                Seconds = clock.Elapsed.TotalSeconds;
            }
        }
    }

    /// <summary><c>kubectl create -f</c> of N VolumeSnapshots, then <c>kubectl wait</c> until every one is readyToUse: wall seconds of both.</summary>
    private static async Task<double> KubectlAsync(string kubeconfig, string dir, int claims, int round)
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < claims; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: snapshot.storage.k8s.io/v1
                kind: VolumeSnapshot
                metadata:
                  name: kubectl-{round}-data-{i:D3}
                  namespace: {Namespace}
                  labels: {"{"} bench: kubectl-{round} {"}"}
                spec:
                  volumeSnapshotClassName: bench-snapshots
                  source: {"{"} persistentVolumeClaimName: data-{i:D3} {"}"}

                """);
        }

        var file = Path.Combine(dir, $"snapshots-{round}.yaml");
        await File.WriteAllTextAsync(file, yaml.ToString());
        var cache = Path.Combine(dir, "kcache");
        var create = await Timed.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cache, "create", "--validate=false", "-f", file]);
        var wait = await Timed.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cache, "wait", "--for=jsonpath={.status.readyToUse}=true",
            "volumesnapshot", "-n", Namespace, "-l", $"bench=kubectl-{round}", "--timeout=300s"]);
        if (create.ExitCode != 0 || wait.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl failed: {create.Stderr}{wait.Stderr}");
        }

        return create.Seconds + wait.Seconds;
    }
}
