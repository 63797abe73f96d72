using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Core.Messages;
using Strata.Core.ControlPlane;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Alerts;
using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// Canary secret values — a cluster bearer token, a storage account key in a connection string, webhook URLs with a
/// secret path and query, a webhook signing secret, a database password, a Secret's data, the key encryption key (its
/// base64 and its raw bytes as base64url) and the HMAC signing key — through encrypted, signed backup, restore, drill,
/// alerts (one channel delivered, one failing), failures (an unreachable cluster, a bad database password, a wrong
/// storage key, a verify with a wrong <c>--key</c>), <c>strata decrypt</c> and <c>strata key rewrap</c>; then every log
/// line, queue message, run record and report, CLI output and alert payload is searched for them (as they are and in
/// base64): none may appear. The Secret's data must also appear in no byte the store holds (archives decompressed).
/// </summary>
public sealed partial class RedactionTests(AzuriteFixture azurite, PostgresServer postgres)
    : IClassFixture<AzuriteFixture>, IClassFixture<PostgresServer>
{
    private const string SecretData = "canary-secret-data-7Qw9";
    private const string GoneToken = "canary-gone-token-3Kp2";
    private const string StorageKeyText = "canary-storage-key-8Zr5-0123456789abcdef0123456789abcdef0123456789";
    private const string SlackPath = "canary-slack-path-1Hn6";
    private const string SlackQuery = "canary-slack-query-4Tb8";
    private const string FailingPath = "canary-failing-path-6Vc1";
    private const string FailingQuery = "canary-failing-query-2Mx7";
    private const string HookSecret = "canary-hook-secret-5Ld3";
    private const string DatabasePassword = "canary-db-password-9Fj4";

    private readonly List<(string Source, string Text)> _seen = [];
    private readonly byte[] _kek = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _newKek = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _otherKek = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task Run_CanarySecretsThroughEveryPath_AppearInNoLogMessageRecordOutputOrAlert()
    {
        await using var sink = await WebhookSink.StartAsync();
        using var refusing = new RefusingPort();
        using var gone = new RefusingPort();
        await using var world = await ControlPlaneWorld.StartAsync(
            Policies(),
            alerts: Alerts(),
            alertDelivery: sink.DeliveryOptions(maxAttempts: 2),
            prodOptions: Controllers());
        world.Variables["SLACK_URL"] = sink.Url($"/services/T0/B0/{SlackPath}?token={SlackQuery}").AbsoluteUri;
        world.Variables["HOOK_URL"] = $"{refusing.Url("https").AbsoluteUri}hooks/{FailingPath}?sig={FailingQuery}";
        world.Variables["HOOK_SECRET"] = HookSecret;
        world.Variables["GONE_TOKEN"] = GoneToken;
        world.Variables["PG_PASSWORD"] = DatabasePassword;
        world.Variables["STRATA_KEK"] = Convert.ToBase64String(_kek);
        world.Variables["NEW_KEK"] = Convert.ToBase64String(_newKek);
        world.Variables["OTHER_KEK"] = Convert.ToBase64String(_otherKek);
        world.Variables["STRATA_SIGNING_KEY"] = Convert.ToBase64String(_signingKey);
        AddClusterAndDatabase(world, gone);
        await world.LoadAsync();
        PutSecret(world.Prod);
        string[] canaries = [world.Prod.AdminToken, world.Dr.AdminToken, SecretData, GoneToken, StorageKeyText, StorageKey, SlackPath, SlackQuery,
            FailingPath, FailingQuery, HookSecret, DatabasePassword, .. KeyForms(_kek), .. KeyForms(_newKek), .. KeyForms(_otherKek), .. KeyForms(_signingKey)];

        // A backup (its database dump fails on the password), its integrity check, the alerts it raises.
        var backup = await PipelineAsync(world, new BackupRequested("prod", "nightly", Reason: "redaction test"));
        var backupId = backup.Handled.SelectMany(h => h.Result.Messages).Select(m => m.Payload).OfType<BackupCompleted>().First().BackupId;

        // A restore of it into dr; a backup without the database, verified, then drilled; a backup of a cluster that cannot be reached.
        await PipelineAsync(world, new RestoreRequested(backupId, "dr", Reason: "redaction test"));
        var clean = await PipelineAsync(world, new BackupRequested("prod", "clean", Reason: "redaction test"));
        var cleanId = clean.Handled.SelectMany(h => h.Result.Messages).Select(m => m.Payload).OfType<BackupCompleted>().First().BackupId;
        await PipelineAsync(world, new VerifyRequested(cleanId, "prod", "clean", VerificationKind.Drill));
        await PipelineAsync(world, new BackupRequested("gone", "nightly", Reason: "redaction test"));

        // The CLI over the same: the failures it prints, and what it lists.
        await CliAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "gone", "--store", world.Store);
        await CliAsync(world, "backup", "list", "--store", world.Store, "-o", "json");
        await CliAsync(world, "backup", "describe", backupId, "--store", world.Store, "-o", "json");
        await CliAsync(world, "restore", "list", "--store", world.Store, "-o", "json");
        await CliAsync(world, "drill", "list", "--store", world.Store, "-o", "json");
        await CliAsync(world, "alert", "test", "--config", world.ConfigPath, "--channel", "failing");
        await CliAsync(world, "alert", "test", "--config", world.ConfigPath, "--channel", "platform");

        // A wrong storage account key, in a connection string, as --store and as $STRATA_STORE.
        var wrongKey = Regex.Replace(azurite.ConnectionString, "AccountKey=[^;]+", $"AccountKey={StorageKey}");
        await CliAsync(world, "backup", "list", "--store", wrongKey, "--store-container", "redaction", "--history", wrongKey);
        await CliAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "nightly", "--cluster", "prod", "--store", wrongKey, "--store-container", "redaction");
        world.Variables["STRATA_STORE"] = wrongKey;
        await CliAsync(world, "backup", "list", "--store-container", "redaction");
        world.Variables.Remove("STRATA_STORE");

        // The key commands: a verify with a key that unwraps nothing, a decrypt (its files hold the plaintext, by design:
        // written outside the world, only its output is searched), a rewrap to a new key.
        await CliAsync(world, "backup", "verify", backupId, "--store", world.Store, "--key", "env:OTHER_KEK");
        var plaintext = Directory.CreateTempSubdirectory("strata-redaction-");
        try
        {
            Assert.Equal(0, await CliAsync(world, "decrypt", "--backup", backupId, "--config", world.ConfigPath, "--key", "env:STRATA_KEK", "--output", Path.Combine(plaintext.FullName, "out"), "--store", world.Store));
        }
        finally
        {
            plaintext.Delete(recursive: true);
        }

        Assert.Equal(0, await CliAsync(world, "key", "rewrap", "--backup", backupId, "--key", "env:STRATA_KEK", "--new-key", "env:NEW_KEK", "--store", world.Store, "-o", "json"));

        // What left the process for the alert channels: bodies and headers (the URL itself is where it went).
        Assert.NotEmpty(sink.Requests);
        foreach (var request in sink.Requests)
        {
            _seen.Add(($"alert payload {request.Method}", request.Body));
            _seen.Add(($"alert headers {request.Method}", string.Join('\n', request.Headers.Select(h => $"{h.Key}: {h.Value}"))));
        }

        // Records and reports the control plane keeps (history, manifests, reports), not the artifacts themselves.
        foreach (var file in Directory.EnumerateFiles(world.Dir.Path, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name is "strata.yaml" || name.EndsWith(".pem", StringComparison.Ordinal) || IsArtifact(world, file))
            {
                continue;
            }

            _seen.Add(($"file {Path.GetRelativePath(world.Dir.Path, file)}", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file))));
        }

        Assert.Contains(_seen, s => s.Source.StartsWith("log", StringComparison.Ordinal));
        Assert.Contains(_seen, s => s.Source.StartsWith("message", StringComparison.Ordinal));
        // Each path ran: the password was refused, the cluster unreachable, the key wrong, the drill passed, one channel delivered and one failed.
        Assert.Contains(_seen, s => s.Text.Contains("password authentication failed", StringComparison.Ordinal));
        Assert.Contains(_seen, s => s.Text.Contains("of gone (policy nightly): Failed", StringComparison.Ordinal));
        Assert.Contains(_seen, s => s.Text.Contains("403", StringComparison.Ordinal));
        Assert.Contains(_seen, s => s.Source == "log" && s.Text.Contains("drill", StringComparison.OrdinalIgnoreCase) && s.Text.Contains("Passed", StringComparison.Ordinal));
        Assert.Contains(_seen, s => s.Text.Contains("platform: delivered", StringComparison.Ordinal) && s.Text.Contains("failing: FAILED", StringComparison.Ordinal));
        Assert.Contains(_seen, s => s.Source.StartsWith("cli backup verify (exit ", StringComparison.Ordinal) && !s.Source.Contains("(exit 0)", StringComparison.Ordinal));
        var leaks = (from seen in _seen
                     from canary in canaries.SelectMany(Forms)
                     where seen.Text.Contains(canary, StringComparison.Ordinal)
                     select $"{seen.Source} holds '{canary}'").Distinct().ToList();
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));

        // The Secret's value is in no stored byte: every file of the store, gzip archives decompressed (resources.tar.gz).
        var stored = await StoredBytesAsync(world.Store);
        Assert.Contains(stored, f => f.Path.EndsWith("resources.tar.gz", StringComparison.Ordinal) && f.Bytes.AsSpan().IndexOf("\"canary\""u8) >= 0);
        var inStore = (from file in stored
                       from form in Forms(SecretData)
                       where file.Bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)) >= 0
                       select $"{file.Path} holds '{form}'").Distinct().ToList();
        Assert.True(inStore.Count == 0, string.Join('\n', inStore));
    }

    /// <summary>A key's base64 and its raw bytes as base64url (without padding), each a canary.</summary>
    private static string[] KeyForms(byte[] key) =>
        [Convert.ToBase64String(key), Convert.ToBase64String(key).TrimEnd('=').Replace('+', '-').Replace('/', '_')];

    /// <summary>Every file under the store as bytes; a gzip file (resources.tar.gz) as its decompressed bytes.</summary>
    private static async Task<List<(string Path, byte[] Bytes)>> StoredBytesAsync(string store)
    {
        var files = new List<(string, byte[])>();
        foreach (var file in Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            if (bytes is [0x1f, 0x8b, ..])
            {
                await using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await gzip.CopyToAsync(plain);
                bytes = plain.ToArray();
            }

            files.Add((Path.GetRelativePath(store, file), bytes));
        }

        return files;
    }

    private static string StorageKey => Convert.ToBase64String(Encoding.ASCII.GetBytes(StorageKeyText));

    /// <summary>A canary as it is, in base64 and base64url, and URL-encoded.</summary>
    private static IEnumerable<string> Forms(string canary)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(canary));
        return [canary, base64.TrimEnd('='), base64.TrimEnd('=').Replace('+', '-').Replace('/', '_'), Uri.EscapeDataString(canary)];
    }

    private static bool IsArtifact(ControlPlaneWorld world, string file) =>
        file.StartsWith(Path.Combine(world.Store, "backups"), StringComparison.Ordinal) && !file.EndsWith(".json", StringComparison.Ordinal);

    private async Task<InlinePipeline.Outcome> PipelineAsync(ControlPlaneWorld world, MessagePayload payload)
    {
        var first = new Envelope($"redaction-{_seen.Count}", $"redaction-{_seen.Count}", world.Clock.GetUtcNow(), payload);
        _seen.Add(($"message {payload.GetType().Name}", MessageCodec.Serialize(first)));
        var outcome = await InlinePipeline.RunAsync(world.Context, first, line => _seen.Add(("log", line)));
        foreach (var (message, result) in outcome.Handled)
        {
            _seen.Add(($"message {message.Payload.GetType().Name}", MessageCodec.Serialize(message)));
            _seen.AddRange(result.Messages.Select(m => ($"message {m.Payload.GetType().Name}", MessageCodec.Serialize(m))));
            if (result.Rejection is { } rejection)
            {
                _seen.Add(("log rejection", rejection));
            }
        }

        _seen.AddRange(outcome.Unconsumed.Select(m => ($"message {m.Payload.GetType().Name}", MessageCodec.Serialize(m))));
        return outcome;
    }

    private async Task<int> CliAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System) { AlertDelivery = world.AlertDelivery };
        var code = await StrataCli.RunAsync(args, environment);
        _seen.Add(($"cli {string.Join(' ', args.Take(2))} (exit {code}) stdout", stdout.ToString()));
        _seen.Add(($"cli {string.Join(' ', args.Take(2))} (exit {code}) stderr", stderr.ToString()));
        return code;
    }

    private static string Policies() => """
          - name: nightly
            clusters: [prod, gone]
            schedule: "30 2 * * *"
            verification:
              drill: { rto: 10m }
          - name: clean
            clusters: [prod]
            schedule: "30 3 * * *"
            verification:
              drill: { rto: 10m }
        """;

    private static string Alerts() => """
        alerts:
          statusPage: https://strata.example.com/status
          channels:
            - { name: platform, type: slack, url: { env: SLACK_URL } }
            - { name: failing, type: webhook, url: { env: HOOK_URL }, secret: { env: HOOK_SECRET } }
        encryption:
          keys:
            - name: local
              secret: { env: STRATA_KEK }
          signing:
            hmac: { env: STRATA_SIGNING_KEY }
        """;

    /// <summary>A third cluster nobody answers for (its token a canary), and a database whose password is wrong.</summary>
    private void AddClusterAndDatabase(ControlPlaneWorld world, RefusingPort gone)
    {
        var yaml = File.ReadAllText(world.ConfigPath);
        yaml = yaml.Replace("policies:\n", string.Join('\n',
            "  - name: gone",
            $"    server: {gone.Url("https").AbsoluteUri}",
            "    token: { env: GONE_TOKEN }",
            "policies:",
            ""), StringComparison.Ordinal);
        yaml = yaml.Replace("      drill: { rto: 10m }\n  - name: clean\n", string.Join('\n',
            "      drill: { rto: 10m }",
            "    databases:",
            "      - name: shop-db",
            "        executor: direct",
            $"        host: {postgres.Host}",
            $"        port: {postgres.Port}",
            $"        user: {postgres.User}",
            "        password: { env: PG_PASSWORD }",
            "        databases: [postgres]",
            "  - name: clean",
            ""), StringComparison.Ordinal);
        File.WriteAllText(world.ConfigPath, yaml);
    }

    private static void PutSecret(SandboxApiServer server) =>
        server.Store.Put(server.Store.FindType("", "secrets")!, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "canary", ["namespace"] = "shop" },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretData)) },
        });

    private static SandboxOptions Controllers() => new()
    {
        Controllers = new SimulatedControllers
        {
            WorkloadReadyDelay = TimeSpan.FromMilliseconds(200),
            VolumeBindDelay = TimeSpan.FromMilliseconds(100),
            JobCompletionDelay = TimeSpan.FromMilliseconds(100),
        },
        NamespaceDeletionDelay = TimeSpan.FromMilliseconds(100),
    };
}
