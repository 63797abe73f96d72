using System.Security.Cryptography;
using Strata.Adapters.Hosting;

namespace Strata.Sandbox.Databases;

/// <summary>
/// A throwaway PostgreSQL server for tests, benchmarks and <c>strata demo</c>: <c>initdb</c> into a temporary folder,
/// started with <c>pg_ctl</c> on a free loopback port, TCP only with scram-sha-256 password authentication for the
/// superuser <c>postgres</c> (the password is generated), its socket in the same folder, tuned for speed over
/// durability (fsync off). Run as root, the server runs as the <c>postgres</c> OS user (initdb refuses root). The
/// binaries come from <c>$STRATA_POSTGRES_BIN</c>, else <c>/usr/lib/postgresql/15/bin</c>.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    /// <summary>The major version looked for (Debian's <c>postgresql-15</c>).</summary>
    public const string MajorVersion = "15";

    /// <summary>The OS user the server runs as when started by root.</summary>
    public const string OsUser = "postgres";

    private ThrowawayPostgres(string folder, string binDirectory, string password)
    {
        Folder = folder;
        BinDirectory = binDirectory;
        Password = password;
    }

    /// <summary>The default folder of the server's programs.</summary>
    public static string DefaultBinDirectory =>
        System.Environment.GetEnvironmentVariable("STRATA_POSTGRES_BIN") is { Length: > 0 } bin ? bin : $"/usr/lib/postgresql/{MajorVersion}/bin";

    /// <summary>The server's address.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Its port.</summary>
    public int Port { get; private set; }

    /// <summary>The superuser.</summary>
    public string User => "postgres";

    /// <summary>The superuser's password, generated per server.</summary>
    public string Password { get; }

    /// <summary>The folder of the server's programs (initdb, pg_ctl, pg_dump, pg_restore, psql).</summary>
    public string BinDirectory { get; }

    /// <summary>The server's folder: its data, log and Unix socket.</summary>
    public string Folder { get; }

    private string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>Why a server cannot be started here (a program missing), or null when it can.</summary>
    public static string? Unavailable(string? binDirectory = null)
    {
        var bin = binDirectory ?? DefaultBinDirectory;
        return new[] { "initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore", "psql" }.FirstOrDefault(p => !File.Exists(Path.Combine(bin, p))) is { } missing
            ? $"PostgreSQL {MajorVersion} is not installed: {Path.Combine(bin, missing)} is missing (install Debian's postgresql-{MajorVersion}, or set STRATA_POSTGRES_BIN)"
            : null;
    }

    /// <summary>The path of one of the server's programs, e.g. <c>Tool("pg_dump")</c>.</summary>
    public string Tool(string name) => Path.Combine(BinDirectory, name);

    /// <summary>The libpq environment of a client of this server (PGHOST, PGPORT, PGUSER), without the password.</summary>
    public Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["PGHOST"] = Host,
        ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGUSER"] = User,
    };

    /// <summary>
    /// Starts a server, with <paramref name="settings"/> (<c>archive_mode=on</c>) added to its command line;
    /// <see cref="InvalidOperationException"/> says what is missing or why it did not start.
    /// </summary>
    public static async Task<ThrowawayPostgres> StartAsync(string? binDirectory = null, IReadOnlyList<string>? settings = null, CancellationToken cancellationToken = default)
    {
        if (Unavailable(binDirectory) is { } missing)
        {
            throw new InvalidOperationException(missing);
        }

        var folder = await ServerPrograms.CreateFolderAsync("strata-pg-", OsUser);
        var server = new ThrowawayPostgres(folder, binDirectory ?? DefaultBinDirectory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        try
        {
            await server.InitializeAsync(settings ?? [], cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(DataDirectory))
        {
            await ServerPrograms.RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], OsUser);
        }

        ServerPrograms.DeleteFolder(Folder);
    }

    private async Task InitializeAsync(IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(Folder, "password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        if (ServerPrograms.RunningAsRoot)
        {
            await ServerPrograms.RunCheckedAsync("chown", [$"{OsUser}:", passwordFile], cancellationToken: cancellationToken);
        }

        await ServerPrograms.RunCheckedAsync(Tool("initdb"), [
            "-D", DataDirectory, "-U", User, $"--pwfile={passwordFile}", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions",
        ], OsUser, cancellationToken);
        File.Delete(passwordFile);

        // A port taken between choosing and binding fails the start; another port is tried once.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPorts.Free();
            var (exitCode, output) = await ServerPrograms.RunAsync(Tool("pg_ctl"), [
                "-D", DataDirectory, "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60", "-o",
                $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={Folder} -c fsync=off -c synchronous_commit=off "
                + "-c full_page_writes=off -c shared_buffers=32MB -c max_connections=40" + string.Concat(settings.Select(setting => $" -c {setting}")),
                "start",
            ], OsUser, cancellationToken);
            if (exitCode == 0)
            {
                return;
            }

            if (attempt == 2)
            {
                var log = Path.Combine(Folder, "server.log");
                throw new InvalidOperationException($"PostgreSQL did not start on port {Port}: {output}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : "")}");
            }
        }
    }
}
