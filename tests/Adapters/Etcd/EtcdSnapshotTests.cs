using System.Diagnostics;
using System.Text.Json;
using Strata.Adapters.Etcd;
using Strata.Adapters.Secrets;
using Strata.Core.Etcd;
using Strata.TestKit.Etcd;
using Xunit.Abstractions;

namespace Strata.Adapters.Tests.Etcd;

/// <summary><c>Maintenance.Snapshot</c> through <see cref="GrpcEtcdConnector"/> from a real etcd holding 10,000 keys.</summary>
public sealed class EtcdSnapshotTests(ITestOutputHelper output)
{
    private const int Keys = 10_000;

    private static readonly GrpcEtcdConnector Connector = new(new SecretResolver(Environment.GetEnvironmentVariable));

    /// <summary>Kubernetes-like keys: small objects, and every 500th one of 120 KB (a large ConfigMap).</summary>
    public static IEnumerable<KeyValuePair<string, byte[]>> Objects(int count, int seed = 15)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var value = new byte[i % 500 == 0 ? 120 * 1024 : 200 + random.Next(800)];
            random.NextBytes(value);
            yield return new($"/registry/configmaps/ns-{i % 20:00}/cm-{i:00000}", value);
        }
    }

    [Fact]
    public async Task Snapshot_TenThousandKeys_EveryByteIntactAndEtcdctlReadsTheFile()
    {
        await using var server = await EtcdServer.StartAsync();
        Assert.Equal(Keys, await EtcdWriter.PutAsync(server.Endpoint, Objects(Keys)));
        await using var endpoints = await Connector.ConnectAsync(server.Access);
        var file = Path.Combine(server.Folder, "snapshot.db");

        var integrity = new EtcdSnapshotIntegrity();
        var clock = Stopwatch.StartNew();
        ulong lastRemaining = ulong.MaxValue;
        await using (var stream = File.Create(file))
        {
            await foreach (var chunk in endpoints.Members[0].SnapshotAsync())
            {
                integrity.Append(chunk.Data.Span);
                await stream.WriteAsync(chunk.Data);
                lastRemaining = chunk.RemainingBytes;
            }
        }

        var verdict = integrity.Complete();
        output.WriteLine($"snapshot {verdict.Length:N0} bytes in {clock.Elapsed.TotalMilliseconds:N0} ms ({verdict.Length / 1048576.0 / clock.Elapsed.TotalSeconds:N0} MiB/s)");
        Assert.True(verdict.Intact, verdict.Problem);
        Assert.Equal(new FileInfo(file).Length, verdict.Length);
        Assert.Equal(0UL, lastRemaining);
        using var status = JsonDocument.Parse(await EtcdTool.SnapshotStatusAsync(file));
        Assert.True(status.RootElement.GetProperty("totalKey").GetInt64() >= Keys, status.RootElement.ToString());
    }

    [Fact]
    public async Task Snapshot_CallerStopsReading_TheStreamEndsAndTheMemberStillAnswers()
    {
        await using var server = await EtcdServer.StartAsync();
        await EtcdWriter.PutAsync(server.Endpoint, Objects(2_000));
        await using var endpoints = await Connector.ConnectAsync(server.Access);
        using var stop = new CancellationTokenSource();

        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in endpoints.Members[0].SnapshotAsync(stop.Token))
            {
                if (++read == 3)
                {
                    await stop.CancelAsync();
                }
            }
        });

        Assert.Equal(3, read);
        Assert.NotEqual(0UL, (await endpoints.Members[0].StatusAsync()).MemberId);
    }
}
