using System.Text;
using System.Text.Json.Nodes;
using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Artifacts;
using Strata.TestKit;
using Strata.TestKit.Etcd;

namespace Strata.Cli.Tests;

/// <summary>
/// A policy with <c>etcd:</c>, through the CLI: <c>backup create --policy</c> runs the etcd layer, and it and
/// <c>backup describe</c> show the snapshot or why the cluster has none; <c>-o json</c> carries it in the manifest. The
/// snapshot comes from a real etcd over TLS through the CLI's own wiring, and etcd's own tool reads what was stored.
/// </summary>
public sealed class EtcdCommandTests
{
    private const string Policy = """
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            scope: { includeNamespaces: [shop] }
            etcd: {}
        """;

    [Fact]
    public async Task BackupCreateAndDescribe_ClusterWithoutEtcdEndpoints_VerifiedShowingNotApplicable()
    {
        await using var world = await ControlPlaneWorld.StartAsync(Policy);

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);

        Assert.True(code == 0, error + output);
        Assert.Contains("ETCD LAYER", output, StringComparison.Ordinal);
        Assert.Matches(@"snapshot +not applicable: no etcd endpoints configured for cluster prod \(a managed control plane", output);
        var (_, list, _) = await RunAsync(world, "backup", "list", "--store", world.Store, "-o", "json");
        var backup = JsonNode.Parse(list)!.AsArray().Single()!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        var (describeCode, describe, _) = await RunAsync(world, "backup", "describe", backup["id"]!.GetValue<string>(), "--store", world.Store);
        var (jsonCode, json, _) = await RunAsync(world, "backup", "describe", backup["id"]!.GetValue<string>(), "--store", world.Store, "-o", "json");

        Assert.Equal((0, 0), (describeCode, jsonCode));
        Assert.Contains("not applicable: no etcd endpoints configured for cluster prod", describe, StringComparison.Ordinal);
        var etcd = JsonNode.Parse(json)!["manifest"]!["etcd"]!;
        Assert.StartsWith("no etcd endpoints configured for cluster prod", etcd["notApplicable"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(etcd["snapshot"]);
    }

    [Fact]
    public async Task BackupCreate_PopulatedEtcdOverTls_SnapshotStoredAsEtcdctlReadsIt_RecordedShownAndVerified()
    {
        await using var etcd = await EtcdServer.StartAsync(tls: true);
        var certificates = etcd.Certificates!;
        var written = await EtcdWriter.PutAsync(etcd.Access, new SecretResolver(Environment.GetEnvironmentVariable), Keys(10_000, large: 8));
        await using var world = await ControlPlaneWorld.StartAsync(Policy);
        var yaml = await File.ReadAllTextAsync(world.ConfigPath);
        await File.WriteAllTextAsync(world.ConfigPath, yaml.Replace("    tags: { env: prod }\n", $$"""
                tags: { env: prod }
                etcd:
                  endpoints: [{{etcd.Endpoint.AbsoluteUri}}]
                  ca: { file: {{certificates.CaFile}} }
                  cert: { file: {{certificates.ClientCertificateFile}} }
                  key: { file: {{certificates.ClientKeyFile}} }

            """, StringComparison.Ordinal));

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", world.Store);

        Assert.True(code == 0, error + output);
        Assert.Equal(10_008, written);
        Assert.Contains("ETCD SNAPSHOT", output, StringComparison.Ordinal);
        Assert.Contains(ArtifactLayout.EtcdSnapshotPath, output, StringComparison.Ordinal);
        Assert.Contains(etcd.Endpoint.GetLeftPart(UriPartial.Authority), output, StringComparison.Ordinal);
        var (_, list, _) = await RunAsync(world, "backup", "list", "--store", world.Store, "-o", "json");
        var backup = JsonNode.Parse(list)!.AsArray().Single()!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        var (_, json, _) = await RunAsync(world, "backup", "describe", backup["id"]!.GetValue<string>(), "--store", world.Store, "-o", "json");
        var snapshot = JsonNode.Parse(json)!["manifest"]!["etcd"]!["snapshot"]!;
        Assert.Equal(etcd.Name, snapshot["memberName"]!.GetValue<string>());
        Assert.StartsWith("3.4.", snapshot["etcdVersion"]!.GetValue<string>(), StringComparison.Ordinal);
        var file = Path.Combine(world.Store, backup["location"]!.GetValue<string>(), ArtifactLayout.EtcdSnapshotPath);
        var status = JsonNode.Parse(await EtcdTool.SnapshotStatusAsync(file))!;
        Assert.Equal(snapshot["revision"]!.GetValue<long>(), status["revision"]!.GetValue<long>());
        Assert.True(status["totalKey"]!.GetValue<long>() >= 10_008, status.ToJsonString());
        Assert.Equal(new FileInfo(file).Length, snapshot["size"]!.GetValue<long>());
    }

    /// <summary><paramref name="count"/> small keys as kube-apiserver would name them, and <paramref name="large"/> of 512 KiB.</summary>
    private static IEnumerable<KeyValuePair<string, byte[]>> Keys(int count, int large)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new($"/registry/configmaps/shop/settings-{i:D5}", Encoding.UTF8.GetBytes($"{{\"kind\":\"ConfigMap\",\"data\":{{\"n\":\"{i}\"}}}}"));
        }

        for (var i = 0; i < large; i++)
        {
            yield return new($"/registry/secrets/shop/blob-{i}", Enumerable.Repeat((byte)('a' + i), 512 * 1024).ToArray());
        }
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }
}
