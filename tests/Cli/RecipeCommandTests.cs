using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Sandbox;
using Strata.TestKit;
using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// The policies of docs/recipes run as written, through the CLI: each database recipe's snippet is the policy of a
/// strata.yaml whose sandbox cluster has the pod, container and Secret the recipe names, the pod's <c>pods/exec</c> bound
/// to the PostgreSQL fixture with the recipe's user, database and the tables its drill queries read — the backup verifies
/// and the drill's queries pass. GitLab's runs <c>gitlab-backup</c> in a toolbox pod whose program is a small script writing
/// a tar where GitLab writes it (the pod's <c>/srv/gitlab</c> is a folder of the test's; its <c>cat</c>, <c>rm</c> and <c>tar</c> are the host's).
/// </summary>
public sealed partial class RecipeCommandTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static string RecipesFolder => Path.Combine(Repository.Root, "docs", "recipes");

    /// <summary>Every recipe whose policy dumps databases.</summary>
    public static TheoryData<string> DatabaseRecipes() =>
        [.. Directory.GetFiles(RecipesFolder, "*.md").Select(Path.GetFileName).OfType<string>().Order().Where(f => RecipePolicy(f).Databases.Count > 0)];

    [Theory]
    [MemberData(nameof(DatabaseRecipes))]
    public async Task Recipe_DatabasePolicy_BacksUpVerifiedAndDrillsPassing(string file)
    {
        var policy = RecipePolicy(file);
        var target = Assert.Single(policy.Databases);
        var database = Assert.Single(target.Databases);
        await using var world = await ControlPlaneWorld.StartAsync(PolicyItems(file));
        var password = target.EffectiveUser == server.User ? server.Password : Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        await PrepareServerAsync(target.EffectiveUser, password, database, target.DrillQueries.Select(q => q.Sql).OfType<string>());
        CreatePod(world.Prod, target.Namespace, target.Pod!, target.Container!, PostgresPod.Bind(server));
        world.Prod.Create(Secret(target.Namespace, target.PasswordSecret!.Name, target.PasswordSecret.Key, password));
        await world.LoadAsync();

        var (backupCode, backupOut, backupError) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", policy.Name, "--cluster", "prod",
            "--store", world.Store, "-o", "json");
        Assert.True(backupCode == 0, backupError + backupOut);
        var backup = JsonNode.Parse(backupOut)!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        Assert.Contains(backup["artifacts"]!.AsArray(), a => a!["path"]!.GetValue<string>() == $"databases/{target.Namespace}/{target.Name}/{database}.dump");

        var (drillCode, drillOut, drillError) = await RunAsync(world, "drill", "run", "--config", world.ConfigPath, "--policy", policy.Name, "--cluster", "prod",
            "--store", world.Store, "-o", "json");
        Assert.True(drillCode == 0, drillError + drillOut);
        var drilled = JsonNode.Parse(drillOut)!["databases"]!.AsArray().Single()!;
        Assert.True(drilled["passed"]!.GetValue<bool>(), drilled.ToJsonString());
        Assert.True(drilled["dropped"]!.GetValue<bool>(), drilled.ToJsonString());
    }

    [Fact]
    public async Task Recipe_GitLab_GitlabBackupTarStoredVerifiedAndRemovedFromThePod()
    {
        var application = Assert.Single(RecipePolicy("gitlab.md").Applications);
        using var pod = new TempDirectory();
        var backups = Path.Combine(pod.Path, "srv", "gitlab", "tmp", "backups");
        Directory.CreateDirectory(backups);
        await using var world = await ControlPlaneWorld.StartAsync(PolicyItems("gitlab.md"));
        var toolbox = SampleApplication.Pod(application.Namespace, "gitlab-toolbox-0", null, "Running", application.Container!);
        toolbox["metadata"]!["labels"] = new JsonObject { ["app"] = "toolbox" };
        toolbox["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }); // a selector picks a Ready pod only
        world.Prod.CreateNamespace(application.Namespace);
        world.Prod.Create(toolbox);
        world.Prod.BindExec(application.Namespace, "gitlab-toolbox-0", new HostProcessExec
        {
            Programs = new Dictionary<string, string> { ["sh"] = ToolboxShell(pod.Path), ["cat"] = "/bin/cat", ["rm"] = "/bin/rm", ["tar"] = "/bin/tar" },
        }.RunAsync);
        await world.LoadAsync();

        var (code, output, error) = await RunAsync(world, "backup", "create", "--config", world.ConfigPath, "--policy", "gitlab", "--cluster", "prod", "--store", world.Store, "-o", "json");

        Assert.True(code == 0, error + output);
        var backup = JsonNode.Parse(output)!;
        Assert.Equal("Verified", backup["status"]!.GetValue<string>());
        var tar = backup["artifacts"]!.AsArray().Single(a => a!["path"]!.GetValue<string>() == $"applications/gitlab/{application.Name}/{application.Artifact}")!;
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var reader = new TarReader(File.OpenRead(Path.Combine(world.Store, tar["key"]!.GetValue<string>()))))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                entries[entry.Name.TrimStart('.', '/')] = entry.DataStream is null ? "" : await new StreamReader(entry.DataStream).ReadToEndAsync();
            }
        }

        Assert.Contains(":skipped: artifacts,registry", entries["backup_information.yml"], StringComparison.Ordinal);
        Assert.Equal("STRATEGY=copy\n", entries["strategy"]);
        Assert.Empty(Directory.GetFiles(backups)); // removeFile
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(ControlPlaneWorld world, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await StrataCli.RunAsync(args, new CliEnvironment(stdout, stderr, world.Variable, false, TimeProvider.System));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The recipe's policy as strata.yaml reads it.</summary>
    private static PolicyDefinition RecipePolicy(string file) =>
        Assert.Single(ConfigurationLoader.Parse("clusters:\n  - name: prod\n    context: prod\n" + Snippet(file), file, SystemTimeZones.Instance).Policies);

    private static string Snippet(string file) => YamlBlock().Match(File.ReadAllText(Path.Combine(RecipesFolder, file))).Groups[1].Value;

    /// <summary>The snippet's policy items, for the world's <c>policies:</c>.</summary>
    private static string PolicyItems(string file) => Snippet(file).Replace("policies:\n", "", StringComparison.Ordinal);

    /// <summary>The recipe's user (made a login with CREATEDB for the drill's scratch database, unless it is the superuser), its database and the tables its queries count, each with five rows.</summary>
    private async Task PrepareServerAsync(string user, string password, string database, IEnumerable<string> queries)
    {
        var superuser = user == server.User;
        if (!superuser)
        {
            await server.ExecuteAsync("postgres", $"create role {user} login createdb password '{password}'");
        }

        await server.ExecuteAsync("postgres", $"create database {database} owner {user}");
        foreach (var table in queries.Select(q => CountedTable().Match(q)).Where(m => m.Success).Select(m => m.Groups[1].Value))
        {
            await server.ExecuteAsync(database, $"create table {table} (id int primary key, name text); insert into {table} select i, 'row ' || i from generate_series(1, 5) i;"
                + (superuser ? "" : $" alter table {table} owner to {user};"));
        }
    }

    private static void CreatePod(SandboxApiServer cluster, string ns, string name, string container, PodExecHandler exec)
    {
        cluster.CreateNamespace(ns);
        cluster.Create(SampleApplication.Pod(ns, name, null, "Running", container));
        cluster.BindExec(ns, name, exec);
    }

    private static JsonObject Secret(string ns, string name, string key, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { [key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) },
    };

    /// <summary>
    /// The toolbox "container": its shell runs on this host with the pod's <c>/srv/gitlab</c> in <paramref name="root"/> (an
    /// argument starting with it is moved there) and <c>gitlab-backup</c> on its PATH — a script that writes a tar as GitLab's
    /// does (<c>{timestamp}_…_gitlab_backup.tar</c> in <c>/srv/gitlab/tmp/backups</c>) holding its options and a database dump.
    /// </summary>
    private static string ToolboxShell(string root)
    {
        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        var backups = Path.Combine(root, "srv", "gitlab", "tmp", "backups");
        Write(Path.Combine(bin, "gitlab-backup"), $$"""
            #!/bin/sh
            set -e
            [ "$1" = create ] || { echo "gitlab-backup: unknown command '$1'" >&2; exit 1; }
            shift
            work=$(mktemp -d)
            skipped=
            for a in "$@"; do
              case "$a" in
                SKIP=*) skipped=${a#SKIP=} ;;
                STRATEGY=*) echo "$a" > "$work/strategy" ;;
              esac
            done
            printf ':backup_created_at: %s\n:gitlab_version: 17.5.0\n:skipped: %s\n' "$(date -u +%FT%TZ)" "$skipped" > "$work/backup_information.yml"
            mkdir -p "$work/db" "$work/repositories"
            echo "-- PostgreSQL database dump" | gzip > "$work/db/database.sql.gz"
            tar -cf "{{backups}}/$(date +%s)_2026_11_30_17.5.0_gitlab_backup.tar" -C "$work" .
            rm -rf "$work"
            """);
        var shell = Path.Combine(bin, "toolbox-sh");
        Write(shell, $$"""
            #!/bin/bash
            args=()
            for a in "$@"; do
              case "$a" in
                /srv/gitlab/*) args+=("{{root}}$a") ;;
                *) args+=("$a") ;;
              esac
            done
            PATH="{{bin}}:$PATH" exec /bin/sh "${args[@]}"
            """);
        return shell;

        static void Write(string path, string script)
        {
            File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
            if (!OperatingSystem.IsWindows()) // the pod's shell scripts run where Strata is tested: Linux
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"count\(\*\) from (\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CountedTable();
}
