using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Strata.Adapters.Azure;
using Strata.Adapters.Hosting;
using Xunit;

namespace Strata.TestKit;

/// <summary>
/// Azurite (npm <c>azurite@3.35.0</c>) on free loopback ports with a temporary location, one per
/// test class. Found at <c>$STRATA_AZURITE</c>, else under <c>.tools/azurite</c> in the repository,
/// which is installed there with npm if missing (<c>.ci/run</c> installs it beforehand).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Version = "3.35.0";

    private readonly TempDirectory _location = new();
    private Process? _process;

    public int BlobPort { get; private set; }

    public int TablePort { get; private set; }

    /// <summary>The account as a connection string (Azurite's documented development key).</summary>
    public string ConnectionString => StorageAccount.DevelopmentConnectionString("127.0.0.1", BlobPort, TablePort);

    /// <summary>The account, parsed as <c>--store</c> and <c>--history</c> parse it.</summary>
    public StorageAccount Account => StorageAccount.Parse(ConnectionString);

    public async Task InitializeAsync()
    {
        var azurite = await LocateAsync();
        var ports = LoopbackPorts.Free(3);
        (BlobPort, var queuePort, TablePort) = (ports[0], ports[1], ports[2]);
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
                     "--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}",
                     "--tableHost", "127.0.0.1", "--tablePort", $"{TablePort}",
                     "--location", _location.Path, "--silent", "--disableTelemetry",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {azurite}");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!(await Listening(BlobPort) && await Listening(TablePort)))
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"Azurite did not start listening on {BlobPort}/{TablePort} (exited: {_process.HasExited})");
            }

            await Task.Delay(50);
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _location.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A name unique to one test (containers: lowercase; tables: letters and digits).</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    private static async Task<string> LocateAsync()
    {
        if (Environment.GetEnvironmentVariable("STRATA_AZURITE") is { Length: > 0 } configured)
        {
            return configured;
        }

        var root = Repository.Root;
        var folder = Path.Combine(root, ".tools", "azurite");
        var executable = Path.Combine(folder, "node_modules", ".bin", "azurite");
        if (File.Exists(executable))
        {
            return executable;
        }

        // Several test assemblies may get here at once: one installs, the others wait on the lock.
        Directory.CreateDirectory(folder);
        await using var lockFile = await AcquireAsync(Path.Combine(folder, ".install.lock"));
        if (!File.Exists(executable))
        {
            var install = Process.Start(new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--prefix", folder, $"azurite@{Version}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("could not run npm to install Azurite");
            var errors = install.StandardError.ReadToEndAsync();
            await install.StandardOutput.ReadToEndAsync();
            await install.WaitForExitAsync();
            if (install.ExitCode != 0 || !File.Exists(executable))
            {
                throw new InvalidOperationException($"npm install azurite@{Version} failed: {await errors}");
            }
        }

        return executable;
    }

    private static async Task<FileStream> AcquireAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<bool> Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
