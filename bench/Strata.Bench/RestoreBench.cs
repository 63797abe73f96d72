using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Strata.Sandbox;

/// <summary>
/// Restore throughput: N Secrets backed up from one sandbox, restored into a fresh one by
/// `strata restore create`, and — side by side, into another fresh one — by what a user does
/// without Strata: extract the archive and `kubectl create -f` the documents (stripped of the
/// server-set fields beforehand, outside the timing, since kubectl refuses them).
/// </summary>
internal static class RestoreBench
{
    public static async Task<string> RunAsync(string strata, string kubectl, int secrets, bool withKubectl)
    {
        var dir = Directory.CreateTempSubdirectory("strata-restore-bench-");
        var store = Path.Combine(dir.FullName, "store");
        await using var source = await SandboxApiServer.StartAsync();
        var random = new Random(42);
        var namespaces = Enumerable.Range(0, 10).Select(i => $"team-{i:D2}").ToList();
        namespaces.ForEach(ns => source.CreateNamespace(ns));
        for (var i = 0; i < secrets; i++)
        {
            var data = new byte[1400];
            random.NextBytes(data);
            source.Create(SampleApplication.Obj("v1", "Secret", namespaces[i % namespaces.Count], $"secret-{i:D6}", new() { ["app"] = $"app-{i % 50}" },
                extra: o => o["data"] = new JsonObject { ["token"] = Convert.ToBase64String(data) }));
        }

        var sourceConfig = Path.Combine(dir.FullName, "source.yaml");
        await File.WriteAllTextAsync(sourceConfig, source.Kubeconfig("source"));
        var backup = await Timed.RunAsync(strata, ["backup", "create", "--kubeconfig", sourceConfig, "--include-namespaces", string.Join(',', namespaces),
            "--include-resources", "secrets,namespaces", "--store", store, "-o", "json"]);
        var backupJson = JsonNode.Parse(backup.Stdout)!;
        var id = backupJson["id"]!.GetValue<string>();
        Console.Error.WriteLine($"backed up {backupJson["objectCount"]} objects as {id}");

        await using var target = await SandboxApiServer.StartAsync();
        var targetConfig = Path.Combine(dir.FullName, "target.yaml");
        await File.WriteAllTextAsync(targetConfig, target.Kubeconfig("target"));
        var restore = await Timed.RunAsync(strata, ["restore", "create", "--from-backup", id, "--kubeconfig", targetConfig, "--store", store, "-o", "json"]);
        var result = JsonNode.Parse(restore.Stdout)!;
        var created = result["counts"]!["created"]!.GetValue<long>();
        var failed = result["counts"]!["failed"]!.GetValue<long>();
        var row = string.Create(CultureInfo.InvariantCulture,
            $"| {secrets:N0} | {created:N0} | {failed:N0} | {restore.Seconds:0.00} s | {created / restore.Seconds:N0} obj/s | {restore.PeakRssMiB:0} MiB |");
        Console.Error.WriteLine(row);

        if (withKubectl)
        {
            var extracted = Path.Combine(dir.FullName, "extracted");
            await ExtractSanitizedAsync(Path.Combine(store, backupJson["artifacts"]![0]!["key"]!.GetValue<string>()), extracted);
            await using var kubectlTarget = await SandboxApiServer.StartAsync();
            var kubectlConfig = Path.Combine(dir.FullName, "kubectl-target.yaml");
            await File.WriteAllTextAsync(kubectlConfig, kubectlTarget.Kubeconfig("kubectl-target"));
            string[] common = ["--kubeconfig", kubectlConfig, "--cache-dir", Path.Combine(dir.FullName, "kcache")];
            var ns = await Timed.RunAsync(kubectl, [.. common, "create", "--validate=false", "-f", Path.Combine(extracted, "resources/core/v1/namespaces"), "-o", "name"]);
            var kube = await Timed.RunAsync(kubectl, [.. common, "create", "--validate=false", "-R", "-f", Path.Combine(extracted, "resources/core/v1/secrets"), "-o", "name"]);
            var kubectlCreated = kube.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            if (kubectlCreated < secrets)
            {
                Console.Error.WriteLine($"kubectl created {kubectlCreated:N0}; its errors begin: {string.Join('\n', kube.Stderr.Split('\n').Take(5))}");
            }

            var kubectlSeconds = ns.Seconds + kube.Seconds;
            row += string.Create(CultureInfo.InvariantCulture,
                $" {kubectlCreated:N0} | {kubectlSeconds:0.00} s | {kubectlCreated / kubectlSeconds:N0} obj/s | {kubectlSeconds / restore.Seconds:0.0}× | {kube.PeakRssMiB:0} MiB |");
            Console.Error.WriteLine(row);
        }

        dir.Delete(recursive: true);
        return row;
    }

    /// <summary>`tar xzf`, then strip what kubectl create refuses (resourceVersion, uid, …), as a user's script must.</summary>
    private static async Task ExtractSanitizedAsync(string archive, string destination)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        Directory.CreateDirectory(destination);
        await TarFile.ExtractToDirectoryAsync(gzip, destination, overwriteFiles: false);
        foreach (var path in Directory.EnumerateFiles(destination, "*.json", SearchOption.AllDirectories))
        {
            var doc = JsonNode.Parse(await File.ReadAllBytesAsync(path))!.AsObject();
            var metadata = doc["metadata"]!.AsObject();
            foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields" })
            {
                metadata.Remove(field);
            }

            await File.WriteAllTextAsync(path, doc.ToJsonString());
        }
    }
}
