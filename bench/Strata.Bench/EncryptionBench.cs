using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Adapters.Hosting;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Kubernetes;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;

/// <summary>
/// What client-side encryption costs (issue 16: under 10 % on the 100,000-object capture, under 5 % on a 1 GB dump).
/// Every figure is the published CLI's <c>strata backup create --config … --policy P --cluster C --store DIR -o json</c>,
/// its own process under /usr/bin/time, run on the same data with and without encryption, alternating which goes first:
/// <list type="bullet">
/// <item><b>Objects</b> (<see cref="ObjectsAsync"/>): one sandbox seeded once (<see cref="Seeder"/>: 35 % Secrets of
/// about 2 KB), and three variants of one policy — <c>plain</c> in a strata.yaml without <c>encryption:</c> (what a
/// backup cost before issue 16); the same policy with <c>encrypt: none</c> in a strata.yaml that has <c>encryption:</c>
/// (an AES key in an environment variable, HMAC signing: the manifest is signed, nothing encrypted); and
/// <c>encrypt: secrets</c> in that file (every Secret value encrypted, the manifest signed).</item>
/// <item><b>A dump</b> (<see cref="DumpAsync"/>): a generated PostgreSQL database (<see cref="GeneratedDatabase"/>),
/// policy <c>direct</c> (executor <c>direct</c>, no <c>encryption:</c>) against the same policy as <c>encrypt: all</c>
/// (the dump chunk-encrypted on its way to the store, decrypted by the verification, the manifest signed), and plain
/// <c>pg_dump -Fc -f</c> in the same rounds for reference (<see cref="DatabaseRuns"/>).</item>
/// <item><b>Micro</b> (<see cref="Micro"/>): <see cref="ChunkedEncryptionStream"/> and <see cref="ChunkedDecryptionStream"/>
/// over 1 GiB in memory, to <see cref="Stream.Null"/>, single-threaded, against a plain copy; and
/// <see cref="SecretValues.EncryptInPlace(KubeObject, string, SecretValueKey)"/> over the seeder's 35,000 Secrets, and the verification's decryption of them,
/// split into their parts.</item>
/// </list>
/// With <c>STRATA_BENCH_PERF=DIR</c> the object runs go under <c>perf record -F 499 -g</c> (the runtime's perf map on, W^X off so that JIT-compiled frames resolve),
/// one file per run in DIR, for <c>perf report</c>; their times are then not the table's.
/// </summary>
internal static class EncryptionBench
{
    private const string Unencrypted = "no `encryption:` (before)", SignedOnly = "`encrypt: none`, HMAC-signed", SecretsEncrypted = "`encrypt: secrets`, HMAC-signed";
    private const string PgDump = "pg_dump -Fc -f", DumpPlain = "Strata, no `encryption:`", DumpEncrypted = "Strata, `encrypt: all`, HMAC-signed";

    public const string ObjectsHeader = """
        | objects | variant | wall, each round | **median** | wall ÷ before, each round → median | capture (median) | verification (median) | peak RSS | CPU (median) | CPU ÷ before, each round → median | archive |
        |---:|---|---|---:|---|---:|---:|---:|---:|---|---:|
        """;

    public const string DumpHeader = """
        | database | tool | wall, each round | **median** | wall ÷ no encryption, each round → median | dump phase (median) | verification (median) | peak RSS | CPU (median) | CPU ÷ no encryption, each round → median | dump (plaintext) |
        |---|---|---|---:|---|---:|---:|---:|---:|---|---:|
        """;

    /// <summary>The capture of <paramref name="size"/> seeded objects, each variant once a round in a rotating order: the table's rows.</summary>
    public static async Task<string> ObjectsAsync(string strata, int size, int rounds)
    {
        var dir = Directory.CreateTempSubdirectory("strata-encryption-bench-");
        try
        {
            await using var server = await SandboxApiServer.StartAsync();
            var seeding = Stopwatch.StartNew();
            var seeded = Seeder.Seed(server, size);
            Console.Error.WriteLine($"seeded {seeded:N0} objects in {seeding.Elapsed.TotalSeconds:0.0} s; load {Figures.Load()}");
            var ca = Path.Combine(dir.FullName, "ca.pem");
            await File.WriteAllTextAsync(ca, server.Certificates.AuthorityPem);
            var clusters = $"clusters:\n  - name: bench\n    server: {server.Url.AbsoluteUri}\n    certificateAuthority: {ca}\n    token: {{ env: BENCH_TOKEN }}\npolicies:\n";
            var plainConfig = Path.Combine(dir.FullName, "strata.yaml");
            var encryptedConfig = Path.Combine(dir.FullName, "strata-encrypted.yaml");
            await File.WriteAllTextAsync(plainConfig, clusters + ObjectPolicy("plain", "none"));
            await File.WriteAllTextAsync(encryptedConfig, clusters + ObjectPolicy("plain", "none") + ObjectPolicy("encrypted", "secrets") + EncryptionSection);
            var environment = Keys(new Dictionary<string, string> { ["BENCH_TOKEN"] = server.AdminToken, ["STRATA_HOME"] = Path.Combine(dir.FullName, "home") });

            var variants = new (string Name, string Config, string Policy)[]
            {
                (Unencrypted, plainConfig, "plain"),
                (SignedOnly, encryptedConfig, "plain"),
                (SecretsEncrypted, encryptedConfig, "encrypted"),
            };
            var results = variants.ToDictionary(v => v.Name, _ => new List<CaptureRun>());
            var loads = new List<string>();
            for (var round = 0; round < rounds; round++)
            {
                // Rotate who goes first, so that drift (other builds, the page cache) hits every variant alike.
                foreach (var (name, config, policy) in variants.Skip(round % variants.Length).Concat(variants.Take(round % variants.Length)))
                {
                    var store = Path.Combine(dir.FullName, $"store-{round}-{results[name].Count}-{policy}-{Path.GetFileNameWithoutExtension(config)}");
                    var run = await CaptureAsync(strata, config, policy, store, environment, plainConfig);
                    results[name].Add(run);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{size:N0} round {round + 1}: {name}: {run.Process.Seconds:0.00} s (capture {run.CaptureSeconds:0.00} s, verification {run.VerifySeconds:0.00} s), {run.Process.PeakRssMiB:0} MiB, CPU {run.Process.CpuSeconds:0.0} s, {run.Objects:N0} objects, {run.ArchiveBytes / 1048576.0:0.0} MiB; load {Figures.Load()}"));
                    Directory.Delete(store, recursive: true);
                }

                loads.Add(Figures.Load());
            }

            var rows = new StringBuilder();
            foreach (var (name, _, _) in variants)
            {
                var runs = results[name];
                var ratios = runs.Zip(results[Unencrypted], (r, p) => r.Process.Seconds / p.Process.Seconds).ToList();
                rows.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {runs[0].Objects:N0} | {name} | {Figures.Runs(runs.Select(r => r.Process.Seconds))} | **{Figures.Median(runs.Select(r => r.Process.Seconds)):0.00} s** | {Ratio(ratios)} | {Figures.Median(runs.Select(r => r.CaptureSeconds)):0.00} s | {Figures.Median(runs.Select(r => r.VerifySeconds)):0.00} s | {runs.Min(r => r.Process.PeakRssMiB):0}–{runs.Max(r => r.Process.PeakRssMiB):0} MiB | {Figures.Median(runs.Select(r => r.Process.CpuSeconds)):0.0} s | {Ratio(runs.Zip(results[Unencrypted], (r, p) => r.Process.CpuSeconds / p.Process.CpuSeconds).ToList())} | {runs[^1].ArchiveBytes / 1048576.0:0.0} MiB |"));
            }

            rows.Append(CultureInfo.InvariantCulture, $"| | load (1 min) after each round | {string.Join(", ", loads)} | | | | | | | | |");
            return rows.ToString();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A generated database of <paramref name="size"/>, dumped by pg_dump and by Strata without and with encryption each round: the table's rows.</summary>
    public static async Task<string> DumpAsync(string strata, string size, int rounds)
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        var name = "enc_" + size.ToLowerInvariant().Replace('.', '_');
        var folder = Directory.CreateTempSubdirectory("strata-encryption-dump-bench-");
        try
        {
            Console.Error.WriteLine($"load (1 min) before generating: {Figures.Load()}");
            var (bytes, rowCount) = await GeneratedDatabase.CreateAsync(server, name, DatabaseBench.ParseSize(size));
            await using var world = await ControlPlaneWorld.StartAsync(DumpPolicy(server, name, DatabaseRuns.Direct, "none"));
            PostgresPod.Create(world.Prod, server, "db", "postgres-0");
            world.Variables["PG_PASSWORD"] = server.Password;
            Keys(world.Variables);

            // The same clusters and policy, plus the policy as `encrypt: all` and the keys: a second file, so that the unencrypted runs are not signed either.
            var encryptedConfig = Path.Combine(world.Dir.Path, "strata-encrypted.yaml");
            await File.WriteAllTextAsync(encryptedConfig, await File.ReadAllTextAsync(world.ConfigPath) + DumpPolicy(server, name, "encrypted", "all") + EncryptionSection);

            var runs = new DatabaseRuns(strata, server, world, name, folder.FullName);
            var tools = new (string Name, Func<int, Task<DumpRun>> Run)[]
            {
                (DumpPlain, async r => Stored(await runs.StrataAsync(DatabaseRuns.Direct, r), Path.Combine(folder.FullName, $"{DatabaseRuns.Direct}-local-{r}"), "PGDMP")),
                (DumpEncrypted, async r => Stored(await runs.StrataAsync("encrypted", r, config: encryptedConfig), Path.Combine(folder.FullName, $"encrypted-local-{r}"), ChunkedFormat.Magic)),
            };
            var results = new Dictionary<string, List<DumpRun>> { [PgDump] = [], [DumpPlain] = [], [DumpEncrypted] = [] };
            var loads = new List<string>();
            for (var round = 0; round < rounds; round++)
            {
                // The two Strata variants alternate which goes first; pg_dump takes each place in turn.
                var order = (round % 2 == 0 ? tools : Enumerable.Reverse(tools)).Select(t => (t.Name, t.Run)).ToList();
                order.Insert(round % 3, (PgDump, runs.PgDumpAsync));
                foreach (var (tool, run) in order)
                {
                    results[tool].Add(await run(round));
                    Console.Error.WriteLine(DatabaseTables.Line(size, round, tool, results[tool][^1]));
                    DeleteStores(folder.FullName);
                }

                loads.Add(Figures.Load());
            }

            var database = string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:N0} MB ({rowCount / 1e6:0.0} M rows)");
            var rows = new StringBuilder();
            foreach (var tool in (string[])[PgDump, DumpPlain, DumpEncrypted])
            {
                var r = results[tool];
                var ratio = tool == PgDump ? "–" : Ratio(r.Zip(results[DumpPlain], (a, b) => a.Process.Seconds / b.Process.Seconds).ToList());
                var cpuRatio = tool == PgDump ? "–" : Ratio(r.Zip(results[DumpPlain], (a, b) => a.Process.CpuSeconds / b.Process.CpuSeconds).ToList());
                var verify = tool == PgDump ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Figures.Median(r.Select(x => x.VerifySeconds)):0.00} s");
                rows.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {database} | {tool} | {Figures.Runs(r.Select(x => x.Process.Seconds))} | **{Figures.Median(r.Select(x => x.Process.Seconds)):0.00} s** | {ratio} | {Figures.Median(r.Select(x => x.DumpSeconds)):0.00} s | {verify} | {r.Min(x => x.Process.PeakRssMiB):0}–{r.Max(x => x.Process.PeakRssMiB):0} MiB | {Figures.Median(r.Select(x => x.Process.CpuSeconds)):0.0} s | {cpuRatio} | {r[^1].DumpBytes / 1e6:0} MB |"));
            }

            rows.Append(CultureInfo.InvariantCulture, $"| | load (1 min) after each round | {string.Join(", ", loads)} | | | | | | | | |");
            return rows.ToString();
        }
        finally
        {
            folder.Delete(recursive: true);
            await server.DropDatabaseAsync(name);
            await server.DisposeAsync();
        }
    }

    public const string MicroHeader = """
        | 1 GiB, memory to `Stream.Null`, one thread | runs | **median** | throughput (median) | bytes allocated (median) |
        |---|---|---:|---:|---:|
        """;

    public const string ValuesHeader = """
        | 35,000 Secrets of one 1,400-byte value, one thread | runs | **median** | per value (median) | bytes allocated per value (median) |
        |---|---|---:|---:|---:|
        """;

    /// <summary>
    /// The streams over <paramref name="bytes"/> (a multiple of 1 MiB) against a plain copy, and the Secret values' cipher:
    /// two tables, <paramref name="rounds"/> rounds each, after one untimed warm-up.
    /// </summary>
    public static string Micro(long bytes, int rounds)
    {
        const int Block = 1 << 20, CopyBuffer = 81920;
        var source = RandomNumberGenerator.GetBytes(Block);
        var blocks = bytes / Block;
        using var key = DataKey.Create();
        var sealedBytes = new byte[ChunkedFormat.HeaderSize + bytes + ((bytes / ChunkedFormat.DefaultChunkSize) + 1) * ChunkedFormat.TagSize];
        var sealedLength = 0L;
        var plainCopy = new byte[CopyBuffer];

        void PlainWrite()
        {
            // The same bytes through an 80 KiB buffer (as Stream.CopyTo's), written to nowhere.
            for (var i = 0; i < blocks; i++)
            {
                for (var at = 0; at < Block; at += CopyBuffer)
                {
                    var n = Math.Min(CopyBuffer, Block - at);
                    source.AsSpan(at, n).CopyTo(plainCopy);
                    Stream.Null.Write(plainCopy, 0, n);
                }
            }
        }

        void Encrypt(Stream destination)
        {
            using var encrypting = new ChunkedEncryptionStream(destination, key, "databases/bench/pg/app.dump", leaveOpen: true);
            for (var i = 0; i < blocks; i++)
            {
                encrypting.Write(source);
            }
        }

        void PlainRead()
        {
            using var from = new MemoryStream(sealedBytes, 0, (int)sealedLength, writable: false);
            int n;
            while ((n = from.Read(plainCopy, 0, CopyBuffer)) > 0)
            {
                Stream.Null.Write(plainCopy, 0, n);
            }
        }

        void Decrypt()
        {
            using var from = new MemoryStream(sealedBytes, 0, (int)sealedLength, writable: false);
            using var decrypting = new ChunkedDecryptionStream(from, key, "databases/bench/pg/app.dump");
            decrypting.CopyTo(Stream.Null, CopyBuffer);
        }

        using (var into = new MemoryStream(sealedBytes))
        {
            Encrypt(into);
            sealedLength = into.Position;
        }

        var table = new StringBuilder(MicroHeader).AppendLine();
        foreach (var (name, run) in new (string, Action)[]
        {
            ("plain copy (80 KiB buffer)", PlainWrite),
            ("`ChunkedEncryptionStream` (write)", () => Encrypt(Stream.Null)),
            ("plain read of the encrypted bytes (80 KiB buffer)", PlainRead),
            ("`ChunkedDecryptionStream` (read, `CopyTo`)", Decrypt),
        })
        {
            var (seconds, allocated) = Measure(run, rounds);
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Figures.Runs(seconds)} | **{Figures.Median(seconds):0.000} s** | {bytes / 1e6 / Figures.Median(seconds):N0} MB/s | {Figures.Median(allocated):N0} B |"));
        }

        // Secret values as the seeder makes them; each pass encrypts fresh copies (the documents are cloned untimed).
        var random = new Random(42);
        var secrets = Enumerable.Range(0, 35_000).Select(i =>
        {
            var value = new byte[1400];
            random.NextBytes(value);
            return SampleApplication.Obj("v1", "Secret", $"team-{i % 20:D2}", $"secret-{i:D6}", new() { ["app"] = $"app-{i % 50}" },
                extra: o => o["data"] = new JsonObject { ["token"] = Convert.ToBase64String(value) });
        }).ToList();
        var paths = secrets.Select(s => $"resources/core/v1/secrets/namespaces/{s["metadata"]!["namespace"]}/{s["metadata"]!["name"]}.json").ToList();
        var values = new StringBuilder(ValuesHeader).AppendLine();
        List<KubeObject> copies = [];
        var plaintext = new byte[1400];
        void Fresh() => copies = secrets.Select(s => new KubeObject(s.DeepClone().AsObject())).ToList();
        var perValue = new (string Name, Action Run)[]
        {
            ("capture: `SecretValues.EncryptInPlace` with one `SecretValueKey` (as `EncryptSecretValues` runs it)", () =>
            {
                using var values = new SecretValueKey(key);
                for (var i = 0; i < copies.Count; i++)
                {
                    SecretValues.EncryptInPlace(copies[i], paths[i], values);
                }
            }),
            ("of which: `new AesGcm(key)` + `Dispose`, once per value", () =>
            {
                for (var i = 0; i < copies.Count; i++)
                {
                    using var aes = new AesGcm(key.Bytes, 16);
                }
            }),
            ("of which: AES-GCM of the 1,400 bytes (one `AesGcm` for all)", () =>
            {
                using var aes = new AesGcm(key.Bytes, 16);
                Span<byte> nonce = stackalloc byte[12];
                var sealedValue = new byte[12 + 1400 + 16];
                for (var i = 0; i < copies.Count; i++)
                {
                    aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(12, 1400), sealedValue.AsSpan(12 + 1400), Encoding.UTF8.GetBytes(paths[i]));
                }
            }),
            ("of which: the token's text (base64url of 1,428 bytes, prefixed)", () =>
            {
                var sealedValue = new byte[12 + 1400 + 16];
                for (var i = 0; i < copies.Count; i++)
                {
                    _ = SecretValueCipher.Prefix + System.Buffers.Text.Base64Url.EncodeToString(sealedValue);
                }
            }),
            ("of which: base64 decode of the value", () =>
            {
                for (var i = 0; i < copies.Count; i++)
                {
                    _ = Convert.FromBase64String(copies[i].Json["data"]!["token"]!.GetValue<string>());
                }
            }),
        };
        foreach (var (name, run) in perValue)
        {
            var (seconds, allocated) = Measure(run, rounds, Fresh);
            values.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Figures.Runs(seconds)} | **{Figures.Median(seconds):0.000} s** | {Figures.Median(seconds) / secrets.Count * 1e6:0.00} µs | {Figures.Median(allocated) / secrets.Count:N0} B |"));
        }

        // The verification's side: each encrypted Secret's document, as the archive holds it, parsed again and every value decrypted (ObjectArchiveCheck).
        Fresh();
        for (var i = 0; i < copies.Count; i++)
        {
            SecretValues.EncryptInPlace(copies[i], paths[i], key);
        }

        var documents = copies.Select(c => Encoding.UTF8.GetBytes(c.Json.ToJsonString())).ToList();
        (string Name, Action Run)[] verifying =
        {
            ("verification: `SecretValues.CheckDocument` of each Secret (as `ObjectArchiveCheck` runs it)", () =>
            {
                using var values = new SecretValueKey(key);
                for (var i = 0; i < documents.Count; i++)
                {
                    _ = SecretValues.CheckDocument(documents[i], paths[i], values);
                }
            }),
            ("before the fix, verification: `JsonNode.Parse` + `SecretValues.DecryptInPlace` of each Secret", () =>
            {
                for (var i = 0; i < documents.Count; i++)
                {
                    SecretValues.DecryptInPlace(new KubeObject(JsonNode.Parse(documents[i])!.AsObject()), paths[i], key);
                }
            }),
            ("of which: `JsonNode.Parse` of the document", () =>
            {
                for (var i = 0; i < documents.Count; i++)
                {
                    _ = JsonNode.Parse(documents[i])!.AsObject()["data"]!["token"]!.GetValue<string>();
                }
            }),
        };
        // What the recommended fixes would save, as bench-local prototypes of the same format (checked against SecretValueCipher).
        using var sharedAes = new AesGcm(key.Bytes, 16);
        var scratch = new byte[64 * 1024];
        var check = new byte[64 * 1024];
        Fresh();
        var probe = PrototypeToken(copies[0].Json["data"]!["token"]!.GetValue<string>(), sharedAes, paths[0], scratch);
        if (!SecretValueCipher.Decrypt(probe, key, paths[0], "data", "token").AsSpan().SequenceEqual(Convert.FromBase64String(copies[0].Json["data"]!["token"]!.GetValue<string>()))
            || !PrototypeCheck(Encoding.UTF8.GetBytes(SecretDocument(probe)), sharedAes, paths[0], scratch, check))
        {
            throw new InvalidOperationException("the prototype does not write or read the format");
        }

        verifying =
        [
            .. verifying,
            ("prototype, capture: one `AesGcm` per backup, decoded and sealed in one reused buffer, the token built once with `string.Create`", () =>
            {
                for (var i = 0; i < copies.Count; i++)
                {
                    var data = copies[i].Json["data"]!.AsObject();
                    data["token"] = PrototypeToken(data["token"]!.GetValue<string>(), sharedAes, paths[i], scratch);
                }
            }),
            ("prototype, verification: a `Utf8JsonReader` walk, each token decrypted into a reused buffer and dropped", () =>
            {
                for (var i = 0; i < documents.Count; i++)
                {
                    _ = PrototypeCheck(documents[i], sharedAes, paths[i], scratch, check);
                }
            }),
        ];
        foreach (var (name, run) in verifying)
        {
            var (seconds, allocated) = Measure(run, rounds, name.StartsWith("prototype, capture", StringComparison.Ordinal) ? Fresh : null);
            values.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Figures.Runs(seconds)} | **{Figures.Median(seconds):0.000} s** | {Figures.Median(seconds) / secrets.Count * 1e6:0.00} µs | {Figures.Median(allocated) / secrets.Count:N0} B |"));
        }

        return $"{table}\n{values}";
    }

    // The token of a data value, as SecretValueCipher writes it (strata:v1: + base64url(nonce ‖ ciphertext ‖ tag), associated data
    // "{entryPath}#data/token"), with one AesGcm, one reused buffer and one string allocated.
    private static string PrototypeToken(string base64, AesGcm aes, string entryPath, byte[] scratch)
    {
        if (!Convert.TryFromBase64String(base64, scratch.AsSpan(12), out var length))
        {
            throw new FormatException("not base64");
        }

        RandomNumberGenerator.Fill(scratch.AsSpan(0, 12));
        Span<byte> associated = stackalloc byte[Encoding.UTF8.GetMaxByteCount(entryPath.Length) + 11];
        var at = Encoding.UTF8.GetBytes(entryPath, associated);
        at += Encoding.UTF8.GetBytes("#data/token", associated[at..]);
        var plain = scratch.AsSpan(12, length);
        aes.Encrypt(scratch.AsSpan(0, 12), plain, plain, scratch.AsSpan(12 + length, 16), associated[..at]);
        var total = 12 + length + 16;
        return string.Create(SecretValueCipher.Prefix.Length + System.Buffers.Text.Base64Url.GetEncodedLength(total), (scratch, total), static (chars, state) =>
        {
            SecretValueCipher.Prefix.CopyTo(chars);
            System.Buffers.Text.Base64Url.EncodeToChars(state.scratch.AsSpan(0, state.total), chars[SecretValueCipher.Prefix.Length..]);
        });
    }

    // Whether every token among the top-level data values of a document decrypts, read with Utf8JsonReader (no tree, nothing kept).
    private static bool PrototypeCheck(byte[] document, AesGcm aes, string entryPath, byte[] scratch, byte[] plain)
    {
        var reader = new Utf8JsonReader(document);
        var depth = 0;
        var inData = false;
        string? name = null;
        Span<byte> associated = stackalloc byte[512];
        var prefix = "strata:v1:"u8;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    inData &= --depth > 1;
                    break;
                case JsonTokenType.PropertyName:
                    if (depth == 1)
                    {
                        inData = reader.ValueTextEquals("data"u8);
                    }
                    else
                    {
                        name = inData && depth == 2 ? reader.GetString() : name;
                    }

                    break;
                case JsonTokenType.String when inData && depth == 2 && !reader.ValueIsEscaped && reader.ValueSpan.StartsWith(prefix):
                    if (System.Buffers.Text.Base64Url.DecodeFromUtf8(reader.ValueSpan[prefix.Length..], scratch, out _, out var written) != System.Buffers.OperationStatus.Done)
                    {
                        return false;
                    }

                    var at = Encoding.UTF8.GetBytes(entryPath, associated);
                    at += Encoding.UTF8.GetBytes("#data/", associated[at..]);
                    at += Encoding.UTF8.GetBytes(name!, associated[at..]);
                    var length = written - 28;
                    try
                    {
                        aes.Decrypt(scratch.AsSpan(0, 12), scratch.AsSpan(12, length), scratch.AsSpan(12 + length, 16), plain.AsSpan(0, length), associated[..at]);
                    }
                    catch (AuthenticationTagMismatchException)
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private static string SecretDocument(string token) => new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["data"] = new JsonObject { ["token"] = token } }.ToJsonString();

    private static (List<double> Seconds, List<double> Allocated) Measure(Action run, int rounds, Action? prepare = null)
    {
        prepare?.Invoke();
        run(); // warm-up: JIT, tiering, the OpenSSL context
        var seconds = new List<double>();
        var allocated = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            prepare?.Invoke();
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            run();
            seconds.Add(clock.Elapsed.TotalSeconds);
            allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return (seconds, allocated);
    }

    private static string Ratio(List<double> ratios) => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(", ", ratios.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)))} → **{Figures.Median(ratios):0.000}×**");

    private static async Task<CaptureRun> CaptureAsync(string strata, string config, string policy, string store, IReadOnlyDictionary<string, string> environment, string plainConfig)
    {
        string[] command = ["backup", "create", "--config", config, "--policy", policy, "--cluster", "bench", "--store", store, "-o", "json"];
        var run = Environment.GetEnvironmentVariable("STRATA_BENCH_PERF") is { Length: > 0 } perfDir
            ? await Timed.RunAsync("perf", ["record", "-F", "499", "-g", "-q", "-o", Path.Combine(perfDir, $"{policy}-{Path.GetFileNameWithoutExtension(config)}-{Path.GetFileName(store)}.data"), "--", strata, .. command],
                new Dictionary<string, string>(environment) { ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" })
            : await Timed.RunAsync(strata, command, environment);
        await Timed.RunAsync("sync", []);
        var record = run.ExitCode == 0 ? JsonNode.Parse(run.Stdout)! : null;
        if (record?["status"]?.GetValue<string>() != "Verified")
        {
            throw new InvalidOperationException($"strata backup create --policy {policy} exited {run.ExitCode}: {run.Stdout}{run.Stderr}");
        }

        // What was stored is what the variant says: the manifest signed or not, the Secret values encrypted or not.
        var prefix = record["location"]!.GetValue<string>();
        var manifest = (await ManifestFile.ReadAsync(StoreLocation.Resolve(store, null, null, _ => null, store).Artifacts, prefix))!;
        var signed = File.Exists(Path.Combine(store, prefix, ArtifactLayout.ManifestSignature));
        if (signed != (config != plainConfig) || (manifest.Encryption?.SecretValues ?? false) != (policy == "encrypted"))
        {
            throw new InvalidOperationException($"{policy} in {config}: signed {signed}, Secret values encrypted {manifest.Encryption?.SecretValues}");
        }

        var verification = record["verification"]!;
        return new CaptureRun(
            run,
            (record["completedAt"]!.GetValue<DateTimeOffset>() - record["startedAt"]!.GetValue<DateTimeOffset>()).TotalSeconds,
            (verification["completedAt"]!.GetValue<DateTimeOffset>() - verification["startedAt"]!.GetValue<DateTimeOffset>()).TotalSeconds,
            record["objectCount"]!.GetValue<long>(),
            record["artifacts"]!.AsArray().Single(a => a!["path"]!.GetValue<string>() == "resources.tar.gz")!["size"]!.GetValue<long>());
    }

    // The dump as stored starts as it should: pg_dump's magic, or the chunked format's.
    private static DumpRun Stored(DumpRun run, string store, string magic)
    {
        var dump = Directory.EnumerateFiles(store, "*.dump", SearchOption.AllDirectories).Single();
        var head = new byte[magic.Length];
        using (var file = File.OpenRead(dump))
        {
            file.ReadExactly(head);
        }

        return Encoding.ASCII.GetString(head) == magic ? run : throw new InvalidOperationException($"{dump} does not start with {magic}");
    }

    // A dump run leaves a store of about 500 MB per variant and round; the table needs none of them afterwards.
    private static void DeleteStores(string folder)
    {
        foreach (var store in Directory.EnumerateDirectories(folder).Where(d => !Path.GetFileName(d).Equals("home", StringComparison.Ordinal)))
        {
            Directory.Delete(store, recursive: true);
        }

        foreach (var dump in Directory.EnumerateFiles(folder, "*.dump"))
        {
            File.Delete(dump);
        }
    }

    private static Dictionary<string, string> Keys(Dictionary<string, string> environment)
    {
        environment["STRATA_KEK"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        environment["STRATA_SIGNING_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return environment;
    }

    private const string EncryptionSection = """
        encryption:
          keys:
            - name: local
              secret: { env: STRATA_KEK }
          signing:
            hmac: { env: STRATA_SIGNING_KEY }

        """;

    private static string ObjectPolicy(string name, string encrypt) => $"""
          - name: {name}
            clusters: [bench]
            schedule: "30 2 * * *"
            encrypt: {encrypt}

        """;

    private static string DumpPolicy(PostgresServer server, string database, string name, string encrypt) => string.Create(CultureInfo.InvariantCulture, $$"""
          - name: {{name}}
            clusters: [prod]
            schedule: "30 2 * * *"
            encrypt: {{encrypt}}
            scope: { includeNamespaces: [db] }
            databases:
              - name: bench
                executor: direct
                host: {{server.Host}}
                port: {{server.Port}}
                user: {{server.User}}
                password: { env: PG_PASSWORD }
                databases: [{{database}}]

        """);

    /// <summary>One timed <c>strata backup create --policy</c> of the objects: the process, the capture and verification within it (from the run record), the objects and the archive's size.</summary>
    private sealed record CaptureRun(Timed Process, double CaptureSeconds, double VerifySeconds, long Objects, long ArchiveBytes);
}
