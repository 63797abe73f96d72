using System.Text.Json.Nodes;
using Strata.Adapters.Commands;
using Strata.Cli.Output;
using Strata.Core.Artifacts;
using Strata.Core.ControlPlane;
using Strata.Core.Databases;
using Strata.Core.Messages;
using Strata.Core.Ports;
using Strata.Core.Restore;
using Strata.Core.Restore.Snapshots;
using Strata.Core.Volumes;
using Strata.Sandbox;
using Strata.Sandbox.Databases;

namespace Strata.Cli.Commands;

/// <summary>
/// The databases part of <c>strata demo</c>, through the control plane's own functions, against a real PostgreSQL: a
/// throwaway server on this machine stands in for the database inside the sandbox's pod <c>shop/postgres-0</c> (the
/// pod's <c>pods/exec</c> runs its commands here, so <c>pg_dump</c> "in the pod" dumps it). A policy dumps its
/// <c>shop</c> database through the exec API with the password from a Secret, verifies the dump, drills it into a
/// scratch database with the policy's queries and a measured RTO, and restores it into a new database. Without
/// PostgreSQL 15 on the machine this part is skipped, saying so.
/// </summary>
internal static class DemoDatabases
{
    private const string Policy = "demo-databases";

    private const string Seed = """
        create schema sales;
        create table sales.customers (id int primary key, name text not null, email text);
        create table sales.orders (id bigint primary key, customer_id int references sales.customers, total numeric(10,2), placed_at timestamptz, note text);
        insert into sales.customers select i, 'customer ' || i, 'c' || i || '@example.com' from generate_series(1, 2000) i;
        insert into sales.orders select i, 1 + i % 2000, (i % 997) * 1.25, timestamptz '2026-01-01' + i * interval '1 minute', repeat('x', i % 40)
          from generate_series(1, 50000) i;
        create table public.settings (key text primary key, value text);
        insert into public.settings values ('currency', 'EUR'), ('tax', '21%');
        """;

    public static async Task<JsonObject?> RunAsync(SandboxApiServer source, StoreLocation location, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (ThrowawayPostgres.Unavailable() is { } why)
        {
            await environment.Error.WriteLineAsync($"strata demo: databases — skipped: {why}.");
            return null;
        }

        await environment.Error.WriteLineAsync("strata demo: databases — starting a throwaway PostgreSQL on this machine to stand in for the database in the sandbox's pod shop/postgres-0...");
        var dir = Directory.CreateTempSubdirectory("strata-demo-db-");

        // The server archives its WAL into a folder of its own (its OS user's, when run as root): an application-consistent
        // snapshot is recovered with its backup_label from the WAL archive, and Strata refuses one on a server without.
        var archive = await ServerPrograms.CreateFolderAsync("strata-demo-wal-", ThrowawayPostgres.OsUser);
        try
        {
            await using var server = await ThrowawayPostgres.StartAsync(settings: ["archive_mode=on", $"archive_command='cp %p \"{archive}/%f\"'"], cancellationToken: cancellationToken);
            return await RunAsync(source, server, location, json, environment, dir.FullName, cancellationToken);
        }
        finally
        {
            dir.Delete(recursive: true);
            ServerPrograms.DeleteFolder(archive);
        }
    }

    private static async Task<JsonObject> RunAsync(
        SandboxApiServer source, ThrowawayPostgres server, StoreLocation location, bool json, CliEnvironment environment, string dir, CancellationToken cancellationToken)
    {
        var admin = DatabaseSession.For(new ConnectedDatabase(
            new DatabaseTarget { Name = "admin", Namespace = "demo", Executor = DatabaseExecutor.Direct, Host = server.Host, Port = server.Port, User = server.User },
            new HostToolExecutor(new LocalCommands()), server.Password));
        await admin.CreateAsync("shop", null, cancellationToken);
        await admin.QueryAsync("shop", Seed, cancellationToken);

        SampleApplication.DatabasePod(source, "shop", "postgres-0", "postgres", "postgres-auth", server.Password, new HostProcessExec { Environment = server.Environment() }.RunAsync);
        DemoVolumes.Seed(source);
        await DemoVolumes.WaitForBoundAsync(source, cancellationToken);

        var config = await DemoConfiguration.WriteAsync(source, dir, $$"""
            policies:
              - name: {{Policy}}
                clusters: [sandbox]
                schedule: "0 */6 * * *"
                rpo: 7h
                scope: { includeNamespaces: [shop] }
                volumes: snapshot
                databases:
                  - name: shop-db
                    namespace: shop
                    pod: postgres-0
                    container: postgres
                    passwordSecret: { name: postgres-auth, key: password }
                    databases: [shop]
                    consistency: application
                    volumes: [{{DemoVolumes.DataClaim}}]
                    drill:
                      queries:
                        - { equalsBackup: true }
                        - { sql: "select count(*) from sales.orders where total > 0", expect: ">= 40000" }
                verification:
                  drill: { readiness: false, timeout: 5m }
            """, cancellationToken: cancellationToken);
        var (context, resources) = await ControlPlaneFactory.CreateAsync(config, location,
            name => name == DemoConfiguration.TokenVariable ? source.AdminToken : DemoKeys.Variable(name) ?? environment.Variable(name), environment.Time, cancellationToken: cancellationToken);
        using (resources)
        {
            await environment.Error.WriteLineAsync(
                $"strata demo: databases — policy {Policy} snapshots the claims of shop (CSI VolumeSnapshots; {DemoVolumes.DataClaim} inside pg_backup_start/pg_backup_stop through psql in the pod, so it is application-consistent), "
                + "dumps database shop with pg_dump inside pod shop/postgres-0 through the Kubernetes exec API (password from Secret shop/postgres-auth), streams it into the store and verifies it...");
            var (backup, _) = Requests.Create(new BackupRequested("sandbox", Policy, RequestedBy: "strata demo"), MessageIds.New("demo-db"), environment.Time.GetUtcNow(), context.Configuration);
            await InlinePipeline.RunAsync(context, backup!, cancellationToken: cancellationToken);
            var record = (await context.History.FindBackupAsync(BackupWorker.BackupIdFor(backup!), cancellationToken))!;
            var manifest = await ManifestFile.ReadAsync(context.Stores.Default, record.Location, cancellationToken);
            var console = BackupTables.Console(environment);
            if (!json)
            {
                BackupTables.Header(console, record, location);
                if (manifest is not null)
                {
                    LayerTables.Write(console, manifest);
                }

                BackupTables.Problems(console, record.Problems);
            }

            if (!record.IsVerified || manifest?.Databases?.FirstOrDefault(d => d.Database == "shop") is not { } dump)
            {
                return new JsonObject { ["backupId"] = record.Id, ["status"] = record.Status.ToString() };
            }

            await environment.Error.WriteLineAsync("strata demo: databases — drilling the dump: restored into a scratch database, the policy's queries run there, the RTO measured, the scratch database dropped...");
            var (drillRequest, _) = Requests.Create(new VerifyRequested(record.Id, "sandbox", Policy, VerificationKind.Drill), MessageIds.New("demo-db-drill"), environment.Time.GetUtcNow(), context.Configuration);
            await InlinePipeline.RunAsync(context, drillRequest!, cancellationToken: cancellationToken);
            var drill = (await context.History.FindDrillAsync(DrillWorker.DrillIdFor(drillRequest!), cancellationToken))!;
            if (!json)
            {
                DrillTables.Summary(environment, drill);
            }

            await environment.Error.WriteLineAsync("strata demo: databases — restoring the dump into a new database, shop_restored, as 'strata restore create --database shop/shop-db/shop --to-database shop_restored' would...");
            // Opened like every restore (its signature checked, an encrypted dump decrypted as it streams), not read raw from the store.
            using (var opened = await BackupOpening.OpenAsync(context.Stores.Default, record.Location, context.Keyring, context.RestoreOptions.SignatureRequiredFor(record), cancellationToken)
                ?? throw new InvalidDataException($"backup {record.Id} has no manifest at {record.Location}"))
            {
                await DumpRestore.RestoreAsync(admin, opened.Artifacts, record.Location, dump, "shop_restored", clean: false, cancellationToken);
            }

            var restored = await admin.QueryValueAsync("shop_restored", "select count(*) from sales.orders", cancellationToken);
            var original = await admin.QueryValueAsync("shop", "select count(*) from sales.orders", cancellationToken);
            await environment.Error.WriteLineAsync($"strata demo: databases — sales.orders: {original} rows in shop, {restored} in shop_restored.");
            var volumes = manifest.Volumes is { Count: > 0 } ? await RestoreVolumesAsync(source, record.Id, location, json, environment, cancellationToken) : null;
            return new JsonObject
            {
                ["backupId"] = record.Id,
                ["status"] = record.Status.ToString(),
                ["dump"] = new JsonObject { ["path"] = dump.Path, ["size"] = dump.Size, ["rows"] = dump.Contents?.TotalRows, ["ranIn"] = dump.RanIn },
                ["drill"] = DrillJson.Record(drill),
                ["restoredRows"] = restored,
                ["volumes"] = volumes,
            };
        }
    }

    /// <summary>
    /// Restores the backup's claims into <c>shop-volumes</c>, as <c>strata restore create --include-resources
    /// persistentvolumeclaims --namespace-mapping shop:shop-volumes</c> would: each from its snapshot, through a
    /// pre-provisioned VolumeSnapshotContent; waits until they are Bound and shows the backup_label kept for PostgreSQL.
    /// </summary>
    private static async Task<JsonObject> RestoreVolumesAsync(SandboxApiServer source, string backupId, StoreLocation location, bool json, CliEnvironment environment, CancellationToken cancellationToken)
    {
        const string Target = "shop-volumes";
        await environment.Error.WriteLineAsync(
            $"strata demo: volumes — restoring the claims into namespace {Target}, as 'strata restore create --from-backup {backupId} --include-resources persistentvolumeclaims --namespace-mapping shop:{Target}' would: "
            + "per snapshot a pre-provisioned VolumeSnapshotContent (Retain, the storage system's handle) bound to a new VolumeSnapshot there, and the claim created from it...");
        source.CreateNamespace(Target);
        using var client = DemoCommand.Connect(source, "sandbox", environment);
        NamespaceMapping.TryParse([$"shop:{Target}"], out var mapping, out _);
        var request = new RestoreRequest { BackupId = backupId, TargetCluster = "sandbox", NamespaceMapping = mapping, IncludeResources = ["persistentvolumeclaims"] };
        var (_, restore) = await RestoreExecution.RunAsync(client, request, location, json ? OutputMode.None : OutputMode.Table, environment, DemoKeys.Keyring, cancellationToken);

        var claims = new JsonObject();
        var deadline = environment.Time.GetUtcNow() + TimeSpan.FromSeconds(30);
        await foreach (var claim in client.ListAsync(VolumeSnapshotApi.Claims, new ListRequest(Target), cancellationToken))
        {
            var current = claim;
            while (current.GetString("status.phase") != "Bound" && environment.Time.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), environment.Time, cancellationToken);
                current = await client.GetAsync(VolumeSnapshotApi.Claims, Target, claim.Name, cancellationToken) ?? current;
            }

            var from = current.GetString("spec.dataSource.name");
            claims[claim.Name] = new JsonObject { ["phase"] = current.GetString("status.phase"), ["fromSnapshot"] = from };
            await environment.Error.WriteLineAsync($"strata demo: volumes — claim {Target}/{claim.Name}: {current.GetString("status.phase") ?? "Pending"}"
                + (from is null ? " (no snapshot protected it: created empty, as the report warns)" : $", from VolumeSnapshot {from}"));
        }

        if (await client.GetAsync(BackupLabelConfigMap.ConfigMaps, Target, SnapshotRestoreNames.BackupLabelConfigMap(DemoVolumes.DataClaim), cancellationToken) is { } label
            && label.GetString("data.backup_label") is { } text)
        {
            await environment.Error.WriteLineAsync($"strata demo: volumes — ConfigMap {Target}/{label.Name} holds the backup_label pg_backup_stop returned ({text.Split('\n')[0]}); "
                + "docs/restore.md shows the init step that puts it in the data directory.");
        }

        return new JsonObject { ["restoreId"] = restore?.Id, ["status"] = restore?.Status.ToString(), ["claims"] = claims };
    }
}
