using System.Text.Json.Nodes;
using Strata.TestKit.Databases;

namespace Strata.Cli.Tests;

/// <summary>
/// The roles of <c>infra/kubernetes</c> against RBAC-enabled sandboxes: a backup, a restore and a drill each succeed
/// with exactly their role, and each fails, naming the forbidden verb and resource, when one rule of its role is left
/// out. A rule the scenario cannot reach is listed in <see cref="NotExercised"/> with why; a new rule is exercised.
/// </summary>
public sealed class LeastPrivilegeTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    /// <summary>Rules (role: resources) no operation of the scenario needs, and why.</summary>
    private static readonly Dictionary<string, string> NotExercised = new(StringComparer.Ordinal)
    {
        ["strata-drill: clusterroles [strata-drill-namespace]"] = "bind: the sandbox authorizes requests only and does not model RBAC's escalation check (a real server refuses the scratch namespaces' RoleBinding without it)",
        ["strata-drill: volumesnapshotclasses"] = "read only when a drill restores claims from snapshots into another cluster than the backup's ('drill run' drills on the backup's own cluster), and a refused read is tolerated there by design: the class is informative on a pre-provisioned content (ClaimsFromSnapshots.ClassAsync), so its removal cannot fail a drill",
    };

    /// <summary>Rules only a policy with a CloudNativePG target needs (its world takes 5 s more: the CLI's poll).</summary>
    private static readonly HashSet<string> CloudNativePgRules = new(StringComparer.Ordinal)
    {
        "strata-backup: backups", "strata-backup: clusters", "strata-restore-postgresql-cnpg-io: clusters,backups,scheduledbackups",
        "strata-drill-postgresql-cnpg-io: clusters,backups,scheduledbackups",
    };

    /// <summary>Rules only a policy with a database target needs (its world dumps a real PostgreSQL database through exec).</summary>
    private static readonly HashSet<string> DatabaseRules = new(StringComparer.Ordinal)
    {
        "strata-backup: secrets,pods,persistentvolumeclaims",
        "strata-restore-database: pods/exec",
        "strata-drill-database: pods", "strata-drill-database: secrets [pg-auth]", "strata-drill-database: pods/exec",
    };

    /// <summary>Rules only a policy copying a self-managed control plane's files needs (its world runs the simulated kubelet).</summary>
    private static readonly HashSet<string> ControlPlaneFilesRules = new(StringComparer.Ordinal)
    {
        "strata-control-plane-files: pods", "strata-control-plane-files: pods/exec",
    };

    public static TheoryData<string, int> ExercisedRules()
    {
        var data = new TheoryData<string, int>();
        foreach (var (role, index, key) in AllRules())
        {
            if (!NotExercised.ContainsKey(key))
            {
                data.Add(role, index);
            }
        }

        return data;
    }

    [Fact]
    public async Task BackupRestoreDrill_EachWithExactlyItsRole_Succeed()
    {
        await using var world = await LeastPrivilegeWorld.StartAsync(cloudNativePg: true, database: postgres, controlPlaneFiles: true);
        world.Prod.Access.RecordDecisions = true;
        world.Dr.Access.RecordDecisions = true;

        var backupId = await world.BackUpOrFailAsync();
        var (restoreCode, restoreOut, restoreError) = await world.RestoreAsync(backupId);
        var (drillCode, drillOut, drillError) = await world.DrillAsync();
        var (databaseCode, databaseOut, databaseError, restored) = await world.RestoreDatabaseAsync(backupId);

        Assert.True(restoreCode == 0, restoreError + restoreOut);
        Assert.True(drillCode == 0, drillError + drillOut);
        Assert.True(databaseCode == 0, databaseError + databaseOut);
        Assert.True(JsonNode.Parse(restoreOut)!["counts"]!["claimsFromSnapshots"]!.GetValue<long>() > 0, restoreOut);
        Assert.Equal("Passed", JsonNode.Parse(drillOut)!["status"]!.GetValue<string>());
        Assert.True(JsonNode.Parse(drillOut)!["databases"]!.AsArray().Single()!["passed"]!.GetValue<bool>(), drillOut);
        var (source, copy) = await world.ChecksumsAsync(restored);
        Assert.Equal(source, copy);
        var decisions = world.Prod.Access.Decisions.Concat(world.Dr.Access.Decisions).ToList();
        Assert.Contains(decisions, d => d.Request.CombinedResource == "pods/exec" && d.User.EndsWith(":strata-backup", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d.Request is { Verb: "create", Group: "postgresql.cnpg.io", Resource: "backups" } && d.Allowed);
        Assert.Contains(decisions, d => d.Request is { Namespace: "kube-system" } && d.Request.CombinedResource == "pods/exec" && d.Allowed); // control-plane files
        Assert.Contains(decisions, d => d.Request is { Namespace: "shop", Resource: "secrets", Name: PostgresPod.Secret } && d.User.EndsWith(":strata-backup", StringComparison.Ordinal)); // the dump's password
        var denied = decisions.Where(d => !d.Allowed).Select(d => $"{d.User}: {d.Request}").ToList();
        Assert.True(denied.Count == 0, string.Join('\n', denied));
        Assert.DoesNotContain(decisions, d => d.User == "sandbox-admin");
        // The drill reads and writes namespaced objects only in its scratch namespaces (through strata-drill-namespace), but
        // for the database target's pod, exec and password Secret (through strata-drill-database in shop).
        var drillNamespaced = decisions.Where(d => d.User.EndsWith(":strata-drill", StringComparison.Ordinal) && !string.IsNullOrEmpty(d.Request.Namespace)).ToList();
        Assert.NotEmpty(drillNamespaced);
        Assert.All(drillNamespaced.Where(d => !d.Request.Namespace!.StartsWith("drill-", StringComparison.Ordinal)), d =>
            Assert.True(d.Request is { Namespace: "shop", Name: "postgres-0" or PostgresPod.Secret } && d.Request.CombinedResource is "pods" or "pods/exec" or "secrets", $"{d.Request}"));
        Assert.Contains(drillNamespaced, d => d.Request is { Namespace: "shop" } && d.Request.CombinedResource == "pods/exec");
    }

    [Fact]
    public void StrataDrill_ClusterWide_GrantsNoReadOrWriteOfNamespacedObjects()
    {
        string[] clusterScoped = ["namespaces", "clusterroles", "customresourcedefinitions", "storageclasses", "volumesnapshotcontents", "volumesnapshotclasses"];
        var bound = ClusterWideRolesOf("strata-drill");

        var namespaced = bound.SelectMany(role => role["rules"]!.AsArray().SelectMany(r => Strings(r!["resources"])
                .Select(res => (Role: role["metadata"]!["name"]!.GetValue<string>(), res, Verbs: string.Join(',', Strings(r["verbs"]))))))
            .Where(g => !clusterScoped.Contains(g.res)).ToList();

        // Every ClusterRole bound cluster-wide to the drill identity, custom-resources.example.yaml's included: only the
        // scratch namespaces' RoleBinding is created cluster-wide; secrets, configmaps, pods, custom resources and the rest
        // come from strata-drill-namespace, bound in scratch namespaces only; priority classes are not granted at all.
        Assert.Equal(["strata-drill"], bound.Select(r => r["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal([("strata-drill", "rolebindings", "create")], namespaced);
        Assert.DoesNotContain(bound.SelectMany(r => r["rules"]!.AsArray()), r => Strings(r!["resources"]).Contains("priorityclasses"));
    }

    [Fact]
    public void StrataDrillNamespace_AggregatesTheCustomResourceGroups_NoneBoundElsewhereToTheDrill()
    {
        var aggregated = LeastPrivilegeWorld.Manifests.Where(m => m.Object["kind"]!.GetValue<string>() == "ClusterRole"
                && m.Object["metadata"]!["labels"]?["strata.dev/aggregate-to-drill-namespace"]?.GetValue<string>() == "true")
            .ToList();
        var names = aggregated.Select(m => m.Object["metadata"]!["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var drillNamespace = LeastPrivilegeWorld.Manifests.Single(m => m.Object["kind"]!.GetValue<string>() == "ClusterRole" && m.Object["metadata"]!["name"]!.GetValue<string>() == "strata-drill-namespace").Object;

        // The custom-resource example's drill grants reach the drill through the per-scratch-namespace role, and through no binding.
        Assert.Equal("true", drillNamespace["aggregationRule"]!["clusterRoleSelectors"]![0]!["matchLabels"]!["strata.dev/aggregate-to-drill-namespace"]!.GetValue<string>());
        Assert.Contains(aggregated, m => m.File == "custom-resources.example.yaml" && Strings(m.Object["rules"]![0]!["apiGroups"]).Contains("demo.strata.dev"));
        Assert.Contains("strata-drill-namespace-builtin", names);
        Assert.DoesNotContain(LeastPrivilegeWorld.Manifests, m => m.Object["kind"]!.GetValue<string>() is "ClusterRoleBinding" or "RoleBinding"
            && names.Contains(m.Object["roleRef"]!["name"]!.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(ExercisedRules))]
    public async Task Operation_WithoutOneRuleOfItsRole_FailsNamingTheForbiddenVerbAndResource(string role, int index)
    {
        var rule = Rule(role, index);
        await using var world = await LeastPrivilegeWorld.StartAsync((role, index), CloudNativePgRules.Contains(Key(role, rule)),
            DatabaseRules.Contains(Key(role, rule)) ? postgres : null, ControlPlaneFilesRules.Contains(Key(role, rule)));

        var (code, output, error) = (role, LeastPrivilegeWorld.Identity(role)) switch
        {
            (_, "strata-backup") => await world.BackUpAsync(),
            (_, "strata-drill") => await DrillAfterBackupAsync(world),
            ("strata-restore-database", _) => await RestoreDatabaseAfterBackupAsync(world),
            _ => await world.RestoreAsync(await world.BackUpOrFailAsync()),
        };

        var text = (output + error).Replace("\\u0022", "\"", StringComparison.Ordinal);
        var user = $"User \"system:serviceaccount:strata:{LeastPrivilegeWorld.Identity(role)}\"";
        var named = Strings(rule["verbs"]).SelectMany(v => Strings(rule["resources"]).SelectMany(r => Strings(rule["apiGroups"]).Select(g =>
            r == "*" ? $"{user} cannot {v} resource \"" : $"{user} cannot {v} resource \"{r}\" in API group \"{g}\"")));
        Assert.True(named.Any(n => text.Contains(n, StringComparison.Ordinal)), $"no refusal of {Key(role, rule)} named in:\n{text}");
        // No refusal is a mere warning: a backup without its snapshot's handle or Retain, a drill or restore without an
        // object's owner references, each fails.
        Assert.True(code != 0, $"{Key(role, rule)} left out, yet the operation succeeded:\n{text}");
    }

    [Fact]
    public void NotExercised_NamesRulesThatExist()
    {
        var keys = AllRules().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        Assert.All(NotExercised.Keys.Concat(CloudNativePgRules).Concat(DatabaseRules).Concat(ControlPlaneFilesRules), k => Assert.Contains(k, keys));
    }

    private static async Task<(int Code, string Out, string Error)> RestoreDatabaseAfterBackupAsync(LeastPrivilegeWorld world)
    {
        var (code, output, error, _) = await world.RestoreDatabaseAsync(await world.BackUpOrFailAsync());
        return (code, output, error);
    }

    private static async Task<(int Code, string Out, string Error)> DrillAfterBackupAsync(LeastPrivilegeWorld world)
    {
        await world.BackUpOrFailAsync();
        return await world.DrillAsync();
    }

    private static IEnumerable<(string Role, int Index, string Key)> AllRules() =>
        LeastPrivilegeWorld.Manifests
            .Where(m => m.Object["kind"]!.GetValue<string>() is "Role" or "ClusterRole")
            .SelectMany(m => m.Object["rules"]!.AsArray().Select((rule, i) =>
                (m.Object["metadata"]!["name"]!.GetValue<string>(), i, Key(m.Object["metadata"]!["name"]!.GetValue<string>(), rule!))));

    /// <summary>
    /// The ClusterRoles bound cluster-wide to ServiceAccount strata/<paramref name="identity"/>, an aggregated one by the
    /// ClusterRoles it aggregates (what the API server grants through the binding).
    /// </summary>
    private static List<JsonObject> ClusterWideRolesOf(string identity)
    {
        var clusterRoles = LeastPrivilegeWorld.Manifests.Where(m => m.Object["kind"]!.GetValue<string>() == "ClusterRole").Select(m => m.Object).ToList();
        var roleNames = LeastPrivilegeWorld.Manifests
            .Where(m => m.Object["kind"]!.GetValue<string>() == "ClusterRoleBinding" && m.Object["subjects"]!.AsArray().Any(s =>
                s!["kind"]!.GetValue<string>() == "ServiceAccount" && s["name"]!.GetValue<string>() == identity && s["namespace"]!.GetValue<string>() == "strata"))
            .Select(m => m.Object["roleRef"]!["name"]!.GetValue<string>());
        return [.. roleNames.SelectMany(name => clusterRoles.Where(r => r["metadata"]!["name"]!.GetValue<string>() == name)).SelectMany(role =>
            role["aggregationRule"]?["clusterRoleSelectors"] is JsonArray selectors
                ? clusterRoles.Where(r => selectors.Any(s => s!["matchLabels"]!.AsObject().All(l =>
                    r["metadata"]!["labels"]?[l.Key]?.GetValue<string>() == l.Value!.GetValue<string>())))
                : [role])];
    }

    private static JsonNode Rule(string role, int index) =>
        LeastPrivilegeWorld.Manifests.Single(m => m.Object["kind"]!.GetValue<string>() is "Role" or "ClusterRole" && m.Object["metadata"]!["name"]!.GetValue<string>() == role)
            .Object["rules"]![index]!;

    private static string Key(string role, JsonNode rule) =>
        $"{role}: {string.Join(',', Strings(rule["resources"]))}" + (rule["resourceNames"] is { } names ? $" [{string.Join(',', Strings(names))}]" : "");

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>());
}
