using System.Text.Json.Nodes;
using Strata.Core.Configuration;
using Strata.Core.Messages;
using Strata.Core.Runs;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Drills;

/// <summary>Restore drills on the fakes: what is restored where, what is waited for, the RTO, clean-up, and what is never touched.</summary>
public sealed class DrillRunTests
{
    [Fact]
    public async Task Scratch_RestoresIntoScratchNamespaces_WaitsForReadiness_MeasuresRto_CleansUp()
    {
        var fakes = await DrillFakes.CreateAsync();
        fakes.ReadyAtLook["web"] = 3; // ready at the third look: 2 s after the restore, one look a second
        fakes.ReadyAtLook["data"] = 2;
        var backup = await fakes.BackUpAsync();

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Null(result.Rejection);
        Assert.Equal(DrillStatus.Passed, drill!.Status);
        var scratch = Assert.Single(drill.Namespaces);
        Assert.Equal("shop", scratch.Key);
        Assert.Equal($"drill-{drill.Id[^6..]}-shop", scratch.Value);
        Assert.Equal(
            [
                ($"deployments.apps {scratch.Value}/web: rolled out", 2.0),
                ($"jobs.batch {scratch.Value}/migrate: complete", 0.0),
                ($"persistentvolumeclaims {scratch.Value}/data: Bound", 1.0),
                ($"statefulsets.apps {scratch.Value}/db: rolled out", 0.0),
            ],
            drill.Assertions.Select(a => (a.What, a.Seconds!.Value)).Order());
        Assert.All(drill.Assertions, a => Assert.True(a.Passed && a.Readiness));
        Assert.Equal(2.0, drill.RtoSeconds); // the last assertion to hold
        Assert.Equal(0.0, drill.RestoreSeconds);
        Assert.Empty(drill.Refused);
        Assert.Empty(drill.KeptNamespaces);
        Assert.Empty(result.Messages); // no alert

        // Cleaned up: the scratch namespace and everything in it are gone; the application itself is as it was.
        Assert.Contains(RecordingCluster.Key("namespaces", null, scratch.Value), fakes.Prod.Deletes);
        Assert.DoesNotContain(fakes.Prod.Objects.Keys, k => k.Contains(scratch.Value, StringComparison.Ordinal));
        Assert.Equal("pv-data", fakes.Prod.Objects[RecordingCluster.Key("persistentvolumeclaims", "shop", "data")]["spec"]!["volumeName"]!.GetValue<string>());
        // ClusterRoles reader and writer exist on prod, and the drill created the scratch namespace before the restore: left as they are.
        Assert.Equal(3, drill.Counts["skippedExisting"]);
    }

    [Fact]
    public async Task Scratch_EachScratchNamespace_GetsTheDrillRoleBindingBeforeAnythingIsRestoredIntoIt()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Passed, drill!.Status);
        var scratch = Assert.Single(drill.Namespaces).Value;
        var binding = RecordingCluster.Key("rolebindings.rbac.authorization.k8s.io", scratch, "strata-drill-namespace");
        Assert.Contains(binding, fakes.Prod.Creates.Keys);
        var inside = fakes.Prod.Creates.Where(c => c.Key != binding && c.Key.Split('/')[1] == scratch).ToList();
        Assert.NotEmpty(inside);
        Assert.All(inside, c => Assert.True(c.Value.Started > fakes.Prod.Creates[binding].Finished, $"{c.Key} was created before the drill's RoleBinding"));
    }

    [Fact]
    public async Task Scratch_CopyIsHarmlessBesideTheOriginal_CronJobsSuspendedLoadBalancersClusterIPNoExternalDns()
    {
        var fakes = await DrillFakes.CreateAsync("{ readiness: false }");
        var dns = new JsonObject { ["external-dns.alpha.kubernetes.io/hostname"] = "shop.example.com", ["team"] = "web" };
        await fakes.Prod.CreateAsync(DrillFakes.Type("cronjobs.batch"), "shop", DrillFakes.Object("batch/v1", "CronJob", "shop", "mailer",
            JsonNode.Parse("""{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"m","image":"m"}]}}}}}""")!.AsObject()));
        await fakes.Prod.CreateAsync(DrillFakes.Type("services"), "shop", DrillFakes.Object("v1", "Service", "shop", "edge",
            JsonNode.Parse("""
                {"type":"LoadBalancer","loadBalancerIP":"20.1.2.3","loadBalancerClass":"azure","externalTrafficPolicy":"Local","healthCheckNodePort":31000,
                 "allocateLoadBalancerNodePorts":true,"ports":[{"port":443,"nodePort":30443}]}
                """)!.AsObject(), o => o["metadata"]!["annotations"] = dns));
        var sent = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        fakes.Prod.Admission = (resource, body) =>
        {
            if (body["metadata"]?["namespace"]?.GetValue<string>() is { } ns && ns.StartsWith("drill-", StringComparison.Ordinal))
            {
                sent[resource.QualifiedName + "/" + body["metadata"]!["name"]] = body.DeepClone().AsObject();
            }

            return null;
        };
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.True(drill!.Status == DrillStatus.Passed, drill.Error);
        Assert.True(sent["cronjobs.batch/mailer"]["spec"]!["suspend"]!.GetValue<bool>());
        var edge = sent["services/edge"];
        Assert.Equal("""{"type":"ClusterIP","ports":[{"port":443}]}""", edge["spec"]!.ToJsonString());
        Assert.Equal("""{"team":"web"}""", edge["metadata"]!["annotations"]!.ToJsonString());
        Assert.Equal(
            [("cronJobsSuspended", 1L), ("externalDnsAnnotationsDropped", 1L), ("loadBalancersMadeClusterIP", 1L)],
            drill.Disarmed.Select(d => (d.Key, d.Value)));
        Assert.Equal("LoadBalancer", fakes.Prod.Objects[RecordingCluster.Key("services", "shop", "edge")]["spec"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scratch_ClaimsNeverBindTheVolumesOfWhatIsCopied()
    {
        var fakes = await DrillFakes.CreateAsync();
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        var claim = Assert.Single(fakes.ClaimsSeen);
        Assert.Null(claim["spec"]!["volumeName"]);
        Assert.Null(claim["metadata"]!["annotations"]?["pv.kubernetes.io/bind-completed"]);
        Assert.DoesNotContain(drill!.CreatedClusterObjects, o => o.StartsWith("persistentvolumes/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scratch_NodePortService_GetsPortsOfItsOwn_InsteadOfClashingWithTheOriginal()
    {
        var fakes = await DrillFakes.CreateAsync();
        await fakes.Prod.CreateAsync(DrillFakes.Type("services"), "shop", DrillFakes.Object("v1", "Service", "shop", "web", new JsonObject
        {
            ["type"] = "NodePort",
            ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["nodePort"] = 30080 }),
        }));
        var backup = await fakes.BackUpAsync();
        fakes.Prod.Admission = (resource, body) => resource.Name == "services" && body["spec"]?["ports"]?[0]?["nodePort"] is not null
            ? "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated" : null;

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.True(drill!.Status == DrillStatus.Passed, drill.Error);
        Assert.Empty(drill.Refused);
    }

    [Fact]
    public async Task Scratch_OnAnotherCluster_CreatesOnlyMissingClusterObjects_NeverOverwrites_AndReportsThem()
    {
        var fakes = await DrillFakes.CreateAsync("{ target: dr }");
        await fakes.Dr.CreateAsync(DrillFakes.Type("clusterroles.rbac.authorization.k8s.io"), null,
            DrillFakes.Object("rbac.authorization.k8s.io/v1", "ClusterRole", null, "reader", extra: o => o["rules"] = new JsonArray(new JsonObject { ["verbs"] = new JsonArray("list") })));
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal((DrillStatus.Passed, "dr"), (drill!.Status, drill.Target));
        Assert.Equal(["clusterroles.rbac.authorization.k8s.io/writer"], drill.CreatedClusterObjects);
        Assert.Equal("list", fakes.Dr.Objects[RecordingCluster.Key("clusterroles.rbac.authorization.k8s.io", null, "reader")]["rules"]![0]!["verbs"]![0]!.GetValue<string>());
        Assert.True(fakes.Dr.Objects.ContainsKey(RecordingCluster.Key("clusterroles.rbac.authorization.k8s.io", null, "writer"))); // reported and left
        Assert.DoesNotContain(fakes.Dr.Objects.Keys, k => k.StartsWith("storageclasses", StringComparison.Ordinal)); // nothing restored needs it
        Assert.Empty(fakes.Prod.Deletes);
    }

    [Fact]
    public async Task Scratch_WorkloadNeverReady_TimesOut_NamingWhatItLastSaw_KeepsNamespacesWhenAsked_AndPages()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 30s, keepOnFailure: true }");
        fakes.ReadyAtLook["web"] = int.MaxValue;
        var backup = await fakes.BackUpAsync();

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.Null(drill.RtoSeconds);
        var web = Assert.Single(drill.Assertions, a => !a.Passed);
        Assert.Null(web.Seconds);
        Assert.Equal("Waiting for deployment \"web\" rollout to finish: 0 of 2 updated replicas are available...", web.LastSeen);
        Assert.Equal($"timed out after 30s with 1 of 4 assertion(s) unmet; {web.What} (last seen: {web.LastSeen})", drill.Error);
        Assert.Equal(30, (drill.CompletedAt!.Value - drill.StartedAt).TotalSeconds);
        var scratch = drill.Namespaces["shop"];
        Assert.Equal([scratch], drill.KeptNamespaces);
        Assert.True(fakes.Prod.Objects.ContainsKey(RecordingCluster.Key("deployments.apps", scratch, "web")));
        Assert.Empty(fakes.Prod.Deletes);

        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal((AlertSeverity.Critical, "drill-failed", "drill-failed/nightly/prod", drill.Id), (alert.Severity, alert.Kind, alert.DedupKey, alert.RunId));
        Assert.Equal([$"unmet: {web.What} (last seen: {web.LastSeen})"], alert.FailedItems);
        Assert.Equal(("prod", "scratch", scratch), (alert.Details!["target"], alert.Details["mode"], alert.Details["keptNamespaces"]));
    }

    [Fact]
    public async Task Scratch_JobFails_FailsAtOnce_AndCleansUp()
    {
        var fakes = await DrillFakes.CreateAsync("{ timeout: 10m }");
        fakes.FailingJobs.Add("migrate");
        fakes.ReadyAtLook["migrate"] = 2;
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        var job = Assert.Single(drill.Assertions, a => !a.Passed);
        Assert.Equal("Failed=True (BackoffLimitExceeded): Job has reached the specified backoff limit", job.LastSeen);
        Assert.Equal($"1 assertion(s) cannot hold; {job.What} ({job.LastSeen})", drill.Error);
        Assert.Equal(1, (drill.CompletedAt!.Value - drill.StartedAt).TotalSeconds); // the second look, not the timeout
        Assert.Empty(drill.KeptNamespaces);
        Assert.Contains(RecordingCluster.Key("namespaces", null, drill.Namespaces["shop"]), fakes.Prod.Deletes);
    }

    [Fact]
    public async Task Scratch_RestoreWithErrors_OwnerReferencesNotPatchedBack_FailsNamingThem_EvenWithEveryAssertionMet()
    {
        var fakes = await DrillFakes.CreateAsync();
        var web = fakes.Prod.Objects[RecordingCluster.Key("deployments.apps", "shop", "web")]["metadata"]!["uid"]!.GetValue<string>();
        // Restored before its owner (ConfigMaps come before workloads): its owner reference is patched back once web exists.
        await fakes.Prod.CreateAsync(DrillFakes.Type("configmaps"), "shop", DrillFakes.Object("v1", "ConfigMap", "shop", "web-flags", extra: o =>
            o["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web", ["uid"] = web })));
        var backup = await fakes.BackUpAsync();
        fakes.Prod.Admission = (resource, body) => resource.Name == "configmaps" && body["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 }
            && body["metadata"]!["namespace"]!.GetValue<string>().StartsWith("drill-", StringComparison.Ordinal)
            ? "configmaps may not be patched here" : null;

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.All(drill.Assertions, a => Assert.True(a.Passed)); // the copy looks ready; what the restore could not do still fails it
        var scratch = drill.Namespaces["shop"];
        var refused = Assert.Single(drill.Refused);
        Assert.Equal($"configmaps {scratch}/web-flags", refused.Object);
        Assert.StartsWith("owner references could not be restored: admission webhook", refused.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"the target refused 1 object(s); first: configmaps {scratch}/web-flags: owner references could not be restored", drill.Error, StringComparison.Ordinal);
        Assert.Null(drill.RtoSeconds);
        Assert.NotEmpty(result.Messages); // alerted
        var restore = (await fakes.Plane.History.FindRestoreAsync(drill.RestoreId!))!;
        Assert.Equal(RestoreStatus.PartiallyFailed, restore.Status); // every object created, one not as the backup held it
        var problem = Assert.Single(restore.Problems, p => p.Severity == Results.ProblemSeverity.Error); // beside it, the warning that the backup is unsigned
        Assert.Equal((Results.ProblemSeverity.Error, "configmaps", scratch, "web-flags", "OwnerReferences"), (problem.Severity, problem.Resource, problem.Namespace, problem.Name, problem.Reason));
    }

    [Fact]
    public async Task Scratch_UserAssertions_OnScratchNamespaces_WithReadinessOff()
    {
        var fakes = await DrillFakes.CreateAsync("""
            { readiness: false, assertions: [
                  { kind: Deployment, namespace: shop, name: web, jsonPath: '{.status.availableReplicas}', equals: '2' },
                  { resource: cm, namespace: shop, name: web-config, jsonPath: '{.data.THEME}', equals: dark },
                  { resource: pvc, namespace: shop, name: data, exists: true } ] }
            """);
        fakes.ReadyAtLook["web"] = 4;
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        var scratch = drill!.Namespaces["shop"];
        Assert.True(drill.Error is null, drill.Error);
        Assert.Equal(DrillStatus.Passed, drill.Status);
        Assert.Equal(
            [
                ($"Deployment {scratch}/web: {{.status.availableReplicas}} = '2'", 3.0, "{.status.availableReplicas} = '2'"),
                ($"cm {scratch}/web-config: {{.data.THEME}} = 'dark'", 0.0, "{.data.THEME} = 'dark'"),
                ($"pvc {scratch}/data: exists", 0.0, "exists"),
            ],
            drill.Assertions.Select(a => (a.What, a.Seconds!.Value, a.LastSeen!)));
        Assert.DoesNotContain(drill.Assertions, a => a.Readiness);
        Assert.Equal(3.0, drill.RtoSeconds);
    }

    [Fact]
    public async Task Scratch_AssertionOnATypeTheTargetDoesNotServe_FailsAtOnce()
    {
        var fakes = await DrillFakes.CreateAsync("{ readiness: false, assertions: [ { kind: Rollout, namespace: shop, name: web, exists: true } ] }");
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.Equal("the target serves no resource named 'Rollout'", Assert.Single(drill.Assertions).LastSeen);
        Assert.Equal(0, (drill.CompletedAt!.Value - drill.StartedAt).TotalSeconds);
    }

    [Fact]
    public async Task Scratch_AssertionOnANamespaceNotInTheBackup_FailsAtOnce_WithoutReadingTheOriginal()
    {
        var fakes = await DrillFakes.CreateAsync("{ readiness: false, assertions: [ { resource: cm, namespace: billing, name: rates, exists: true } ] }");
        var backup = await fakes.BackUpAsync();
        await fakes.Prod.CreateAsync(DrillFakes.Type("namespaces"), null, DrillFakes.Object("v1", "Namespace", null, "billing"));
        await fakes.Prod.CreateAsync(DrillFakes.Type("configmaps"), "billing", DrillFakes.Object("v1", "ConfigMap", "billing", "rates"));

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        var assertion = Assert.Single(drill.Assertions);
        Assert.False(assertion.Passed);
        Assert.StartsWith($"namespace billing is not in backup {backup.Id}", assertion.LastSeen, StringComparison.Ordinal);
        Assert.Equal(0, (drill.CompletedAt!.Value - drill.StartedAt).TotalSeconds);
    }

    [Fact]
    public async Task Scratch_SlowerThanTheRto_PassesAndWarns()
    {
        var fakes = await DrillFakes.CreateAsync("{ rto: 2s }");
        fakes.ReadyAtLook["db"] = 4;
        var backup = await fakes.BackUpAsync();

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal((DrillStatus.Passed, 3.0, 2.0), (drill!.Status, drill.RtoSeconds, drill.RtoObjectiveSeconds));
        var alert = (AlertRaised)Assert.Single(result.Messages).Payload;
        Assert.Equal((AlertSeverity.Warning, "drill-rto-exceeded", "drill-rto-exceeded/nightly/prod"), (alert.Severity, alert.Kind, alert.DedupKey));
        Assert.EndsWith("recovered in 3.0 s, over the RTO objective of 2s", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scratch_ScratchNameTaken_RestoresNothing_DeletesNothing()
    {
        var fakes = await DrillFakes.CreateAsync("{ prefix: rehearsal }");
        await fakes.Prod.CreateAsync(DrillFakes.Type("namespaces"), null, DrillFakes.Object("v1", "Namespace", null, "rehearsal-shop"));
        var backup = await fakes.BackUpAsync();
        var before = fakes.Prod.Objects.Count;

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.StartsWith("namespace 'rehearsal-shop' already exists on the target", drill.Error, StringComparison.Ordinal);
        Assert.Equal(before, fakes.Prod.Objects.Count);
        Assert.Empty(fakes.Prod.Deletes);
        Assert.Empty(drill.Namespaces);
    }

    [Fact]
    public async Task DryRun_ListsEveryObjectTheTargetRefuses_AndPersistsNothing()
    {
        var fakes = await DrillFakes.CreateAsync("{ mode: dryRun }");
        var backup = await fakes.BackUpAsync();
        var before = fakes.Prod.Objects.ToDictionary(o => o.Key, o => o.Value.ToJsonString());
        fakes.Prod.Admission = (resource, body) => resource.Name == "deployments" && body["spec"]?["replicas"]?.GetValue<int>() < 3
            ? "deployments must run at least 3 replicas" : null;

        var (drill, result, _) = await fakes.DrillAsync(backup);

        Assert.Equal((DrillStatus.Failed, DrillMode.DryRun), (drill!.Status, drill.Mode));
        var refused = Assert.Single(drill.Refused);
        Assert.Equal("deployments.apps shop/web", refused.Object);
        Assert.Equal("admission webhook \"policy.example.com\" denied the request: deployments must run at least 3 replicas", refused.Reason);
        Assert.Null(drill.RtoSeconds);
        Assert.Empty(drill.Assertions);
        Assert.Empty(drill.Namespaces);
        Assert.Equal(before, fakes.Prod.Objects.ToDictionary(o => o.Key, o => o.Value.ToJsonString()));
        Assert.Equal("drill-failed", ((AlertRaised)Assert.Single(result.Messages).Payload).Kind);
    }

    [Fact]
    public async Task DryRun_NothingRefused_Passes()
    {
        var fakes = await DrillFakes.CreateAsync("{ mode: dryRun }");
        var backup = await fakes.BackUpAsync();
        var before = fakes.Prod.Objects.ToDictionary(o => o.Key, o => o.Value.ToJsonString());

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.True(drill!.Status == DrillStatus.Passed, drill.Error);
        Assert.Equal(before, fakes.Prod.Objects.ToDictionary(o => o.Key, o => o.Value.ToJsonString()));
        Assert.Equal(0, drill.Counts["notValidated"]);
    }

    [Fact]
    public async Task DryRun_IntoAClusterWithoutTheNamespaces_CountsWhatItCouldNotValidate_AndFails()
    {
        var fakes = await DrillFakes.CreateAsync("{ mode: dryRun, target: dr }");
        var backup = await fakes.BackUpAsync();

        var (drill, _, _) = await fakes.DrillAsync(backup);

        Assert.Equal(DrillStatus.Failed, drill!.Status);
        Assert.NotEmpty(drill.NotValidated);
        Assert.Equal(drill.NotValidated.Count, drill.Counts["notValidated"]);
        Assert.Contains(drill.NotValidated, n => n.Object == "deployments.apps shop/web" && n.Reason.StartsWith("its namespace is created by this restore", StringComparison.Ordinal));
        Assert.StartsWith($"the target could not validate {drill.NotValidated.Count} of", drill.Error, StringComparison.Ordinal);
    }
}
