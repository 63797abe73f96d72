using System.Security.Cryptography;
using Strata.Adapters.Kubernetes;
using Strata.Core.Commands;
using Strata.Sandbox;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

/// <summary>
/// A dump-sized output through <see cref="KubernetesClient.ExecAsync"/>: every byte arrives, in
/// order, while the live heap stays flat (nothing buffers the output whole, on either side).
/// </summary>
[Collection(nameof(MemoryMeasured))]
public sealed class ExecThroughputTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private readonly SandboxFixture _sandbox = new();

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        _sandbox.Server.CreateNamespace("db");
        _sandbox.Server.Create(SampleApplication.Pod("db", "pg-0", null, "Running", container: "postgres"));
    }

    public Task DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task ExecAsync_200MiBOfOutput_EveryByteArrivesWithAFlatHeap()
    {
        const long size = 200 * MiB;
        byte[]? sent = null;
        _sandbox.Server.BindExec("db", "pg-0", async (session, ct) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var random = new Random(13);
            var chunk = new byte[64 * 1024];
            for (long written = 0; written < size; written += chunk.Length)
            {
                random.NextBytes(chunk);
                hash.AppendData(chunk);
                await session.Stdout.WriteAsync(chunk, ct);
            }

            sent = hash.GetHashAndReset();
            return 0;
        });
        using var client = _sandbox.Client();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var (received, digest, peak) = (0L, Array.Empty<byte>(), 0L);

        var exit = await client.ExecAsync(new PodCommand("db", "pg-0", "postgres", ["pg_dump", "-Fc", "app"]), new CommandStreams(Stdout: async (stdout, ct) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[80 * 1024];
            int read;
            while ((read = await stdout.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                if (received / (25 * MiB) != (received + read) / (25 * MiB))
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                }

                received += read;
            }

            digest = hash.GetHashAndReset();
        }));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(size, received);
        Assert.Equal(sent, digest);
        Assert.InRange(peak - baseline, long.MinValue, 32 * MiB);
    }

    [Fact]
    public async Task ExecAsync_HostProcessOutput_StreamsThroughUnchanged()
    {
        const int size = 64 * 1024 * 1024;
        _sandbox.Server.BindExec("db", "pg-0", new HostProcessExec().RunAsync);
        using var client = _sandbox.Client();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var received = 0L;

        var exit = await client.ExecAsync(new PodCommand("db", "pg-0", null, ["head", "-c", $"{size}", "/dev/zero"]), new CommandStreams(Stdout: async (stdout, ct) =>
        {
            var buffer = new byte[80 * 1024];
            int read;
            while ((read = await stdout.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }
        }));

        Assert.Equal((0, size), (exit.ExitCode, received));
        Assert.Equal(SHA256.HashData(new byte[size]), hash.GetHashAndReset());
    }
}
