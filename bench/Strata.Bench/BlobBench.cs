using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Strata.TestKit;

/// <summary>
/// Uploads and downloads one large artifact through the Blob artifact store (<see cref="BlobBenchStore"/>)
/// to Azurite, in this process: MB/s each way, the process's CPU time and its peak RSS per phase
/// (VmHWM, reset between phases through /proc/self/clear_refs). The content is generated as it is written (no
/// copy of it in memory) and hashed on both sides. A plain `cp` of a file of the same size on the
/// same disk is the floor Azurite cannot beat. Azurite is the one at <c>$STRATA_BENCH_STORAGE</c>
/// (a connection string; container <c>$STRATA_BENCH_CONTAINER</c>, default <c>bench</c>), else one
/// started here by the tests' <see cref="AzuriteFixture"/> (free ports, data on disk).
/// <c>STRATA_BENCH_FLOOR=0</c> skips the <c>cp</c>. This file is also what
/// <c>bench/blob-before-after.sh</c> builds into the base commit's bench, so both sides are measured
/// by the same code; only <see cref="BlobBenchStore"/> differs.
/// </summary>
internal static class BlobBench
{
    private const int Chunk = 1 << 20;

    public static async Task<string> RunAsync(long bytes)
    {
        AzuriteFixture? azurite = null;
        var connectionString = Environment.GetEnvironmentVariable("STRATA_BENCH_STORAGE");
        if (string.IsNullOrEmpty(connectionString))
        {
            azurite = new AzuriteFixture();
            await azurite.InitializeAsync();
            connectionString = azurite.ConnectionString;
        }

        try
        {
            var store = BlobBenchStore.Open(connectionString, Environment.GetEnvironmentVariable("STRATA_BENCH_CONTAINER") is { Length: > 0 } name ? name : "bench");
            const string key = "backups/bench/adhoc/1/databases/big.dump";

            ResetPeak();
            var uploadCpu = Cpu();
            var upload = Stopwatch.StartNew();
            string sent;
            await using (var writer = await store.CreateAsync(key))
            {
                sent = await WriteGeneratedAsync(writer.Content, bytes);
                await writer.CommitAsync();
            }

            upload.Stop();
            uploadCpu = Cpu() - uploadCpu;
            var uploadPeak = PeakRssMiB();
            Console.Error.WriteLine(Line("upload", bytes, upload.Elapsed, uploadPeak));

            ResetPeak();
            var downloadCpu = Cpu();
            var download = Stopwatch.StartNew();
            string received;
            await using (var stream = await store.OpenReadAsync(key))
            {
                received = await HashAsync(stream);
            }

            download.Stop();
            downloadCpu = Cpu() - downloadCpu;
            var downloadPeak = PeakRssMiB();
            Console.Error.WriteLine(Line("download", bytes, download.Elapsed, downloadPeak));
            if (sent != received)
            {
                throw new InvalidDataException($"downloaded content differs: sha256 {received}, uploaded {sent}");
            }

            var floor = Environment.GetEnvironmentVariable("STRATA_BENCH_FLOOR") == "0" ? "–" : Rate(bytes, CopyFloor(bytes));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT bytes={bytes} upload_mbps={Mbps(bytes, upload.Elapsed):0} upload_peak_mib={uploadPeak:0} download_mbps={Mbps(bytes, download.Elapsed):0} download_peak_mib={downloadPeak:0} upload_cpu_s={uploadCpu.TotalSeconds:0.0} download_cpu_s={downloadCpu.TotalSeconds:0.0}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"| {bytes / 1e9:0.00} GB | {Rate(bytes, upload.Elapsed)} | {uploadPeak:0} MiB | {Rate(bytes, download.Elapsed)} | {downloadPeak:0} MiB | {floor} | identical (sha256) |");
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    private static async Task<string> WriteGeneratedAsync(Stream destination, long bytes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Chunk];
        var state = 0x9E3779B97F4A7C15UL;
        for (long written = 0; written < bytes; written += Chunk)
        {
            var count = (int)Math.Min(Chunk, bytes - written);
            Fill(buffer.AsSpan(0, count), ref state);
            sha.AppendData(buffer, 0, count);
            await destination.WriteAsync(buffer.AsMemory(0, count));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task<string> HashAsync(Stream source)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Chunk];
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>xorshift64: incompressible, reproducible, and fast enough not to be what is measured.</summary>
    private static void Fill(Span<byte> span, ref ulong state)
    {
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span);
        for (var i = 0; i < words.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            words[i] = state;
        }
    }

    private static TimeSpan CopyFloor(long bytes)
    {
        var source = Path.Combine(Path.GetTempPath(), $"strata-bench-floor-{Environment.ProcessId}");
        using (var file = File.Create(source))
        {
            file.SetLength(bytes);
            var buffer = RandomNumberGenerator.GetBytes(Chunk);
            for (long written = 0; written < bytes; written += Chunk)
            {
                file.Write(buffer, 0, (int)Math.Min(Chunk, bytes - written));
            }
        }

        var clock = Stopwatch.StartNew();
        using (var cp = Process.Start("cp", [source, source + ".copy"]))
        {
            cp.WaitForExit();
        }

        clock.Stop();
        File.Delete(source);
        File.Delete(source + ".copy");
        return clock.Elapsed;
    }

    private static string Line(string phase, long bytes, TimeSpan elapsed, double peak) =>
        string.Create(CultureInfo.InvariantCulture, $"{phase}: {bytes / 1e9:0.00} GB in {elapsed.TotalSeconds:0.0} s = {Rate(bytes, elapsed)}, peak RSS {peak:0} MiB");

    private static string Rate(long bytes, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{Mbps(bytes, elapsed):0} MB/s");

    private static double Mbps(long bytes, TimeSpan elapsed) => bytes / 1e6 / elapsed.TotalSeconds;

    /// <summary>This process's CPU time so far: what the client costs, whatever else runs on the machine.</summary>
    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static void ResetPeak()
    {
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    private static double PeakRssMiB() =>
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? double.Parse(kb, CultureInfo.InvariantCulture) / 1024 : 0;
}
