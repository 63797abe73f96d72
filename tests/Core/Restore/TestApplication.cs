using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Runs;
using Strata.Core.Serialization;
using Strata.TestKit.Fakes;

namespace Strata.Core.Tests.Restore;

/// <summary>A random application: objects, and the dependencies between them as Kubernetes defines them.</summary>
internal sealed class TestApplication
{
    public List<(ApiResource Resource, JsonObject Doc)> Objects { get; } = [];

    public List<(string Dependent, string Dependency)> Dependencies { get; } = [];

    private static ApiResource Type(string qualified) =>
        RecordingCluster.BuiltIn.Single(r => r.QualifiedName == qualified);

    public static TestApplication Generate(Random random)
    {
        var app = new TestApplication();
        string? Pick(List<string> names) => names.Count == 0 || random.Next(3) == 0 ? null : names[random.Next(names.Count)];
        List<string> Many(string prefix, int max) => [.. Enumerable.Range(0, random.Next(max + 1)).Select(i => $"{prefix}{i}")];

        var storageClasses = Many("sc", 2);
        var priorityClasses = Many("pc", 2);
        var clusterRoles = Many("cr", 2);
        storageClasses.ForEach(n => app.Add(Type("storageclasses.storage.k8s.io"), null, n));
        priorityClasses.ForEach(n => app.Add(Type("priorityclasses.scheduling.k8s.io"), null, n));
        clusterRoles.ForEach(n => app.Add(Type("clusterroles.rbac.authorization.k8s.io"), null, n));
        var crds = Enumerable.Range(0, random.Next(3)).Select(i => app.AddCrd($"g{i}.example.com", "things", "Thing")).ToList();

        foreach (var ns in Many("ns", 2).Append("app"))
        {
            app.Add(Type("namespaces"), null, ns);
            var accounts = Many("sa", 3);
            var configMaps = Many("cm", 3);
            var secrets = Many("secret", 3);
            var claims = Many("pvc", 2);
            var roles = Many("role", 2);
            accounts.ForEach(n => app.Add(Type("serviceaccounts"), ns, n));
            configMaps.ForEach(n => app.Add(Type("configmaps"), ns, n));
            secrets.ForEach(n => app.Add(Type("secrets"), ns, n));
            roles.ForEach(n => app.Add(Type("roles.rbac.authorization.k8s.io"), ns, n));
            foreach (var claim in claims)
            {
                var spec = new JsonObject();
                if (Pick(storageClasses) is { } sc)
                {
                    spec["storageClassName"] = sc;
                    app.DependsOn("persistentvolumeclaims", ns, claim, "storageclasses.storage.k8s.io", null, sc);
                }

                if (random.Next(2) == 0)
                {
                    var pv = $"pv-{ns}-{claim}";
                    app.Add(Type("persistentvolumes"), null, pv);
                    spec["volumeName"] = pv;
                    app.DependsOn("persistentvolumeclaims", ns, claim, "persistentvolumes", null, pv);
                }

                app.Add(Type("persistentvolumeclaims"), ns, claim)["spec"] = spec;
            }

            var deployments = Many("deploy", 3);
            foreach (var deployment in deployments)
            {
                var pod = new JsonObject();
                var volumes = new JsonArray();
                if (Pick(accounts) is { } sa)
                {
                    pod["serviceAccountName"] = sa;
                    app.DependsOn("deployments.apps", ns, deployment, "serviceaccounts", ns, sa);
                }

                if (Pick(priorityClasses) is { } pc)
                {
                    pod["priorityClassName"] = pc;
                    app.DependsOn("deployments.apps", ns, deployment, "priorityclasses.scheduling.k8s.io", null, pc);
                }

                foreach (var (list, resource, field) in new[] { (configMaps, "configmaps", "configMap"), (secrets, "secrets", "secret"), (claims, "persistentvolumeclaims", "persistentVolumeClaim") })
                {
                    if (Pick(list) is { } name)
                    {
                        volumes.Add(new JsonObject { ["name"] = name, [field] = new JsonObject { [field == "persistentVolumeClaim" ? "claimName" : field == "secret" ? "secretName" : "name"] = name } });
                        app.DependsOn("deployments.apps", ns, deployment, resource, ns, name);
                    }
                }

                pod["volumes"] = volumes;
                app.Add(Type("deployments.apps"), ns, deployment)["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = pod } };
            }

            var services = Many("svc", 2);
            services.ForEach(n => app.Add(Type("services"), ns, n)["spec"] = new JsonObject { ["clusterIP"] = "10.0.0.1" });
            if (Pick(services) is { } backend)
            {
                app.Add(Type("ingresses.networking.k8s.io"), ns, "ing");
                app.DependsOn("ingresses.networking.k8s.io", ns, "ing", "services", ns, backend);
            }

            if (Pick(deployments) is { } target)
            {
                app.Add(Type("horizontalpodautoscalers.autoscaling"), ns, "hpa");
                app.DependsOn("horizontalpodautoscalers.autoscaling", ns, "hpa", "deployments.apps", ns, target);
            }

            if ((Pick(roles) is { } role ? ("roles.rbac.authorization.k8s.io", (string?)ns, role) : Pick(clusterRoles) is { } clusterRole ? ("clusterroles.rbac.authorization.k8s.io", null, clusterRole) : default) is ({ } roleResource, var roleNs, { } roleName))
            {
                app.Add(Type("rolebindings.rbac.authorization.k8s.io"), ns, "binding");
                app.DependsOn("rolebindings.rbac.authorization.k8s.io", ns, "binding", roleResource, roleNs, roleName);
                if (Pick(accounts) is { } subject)
                {
                    app.DependsOn("rolebindings.rbac.authorization.k8s.io", ns, "binding", "serviceaccounts", ns, subject);
                }
            }

            foreach (var crd in crds)
            {
                app.Add(crd, ns, "thing");
                if (Pick(secrets) is { } secret)
                {
                    app.DependsOn(crd.QualifiedName, ns, "thing", "secrets", ns, secret);
                }
            }

            if (Pick(services) is { } webhookService)
            {
                var name = $"webhook-{ns}";
                app.Add(Type("validatingwebhookconfigurations.admissionregistration.k8s.io"), null, name);
                app.DependsOn("validatingwebhookconfigurations.admissionregistration.k8s.io", null, name, "services", ns, webhookService);
                // A webhook must not come before anything it could reject.
                foreach (var (resource, doc) in app.Objects.Where(o => o.Resource.Name != "validatingwebhookconfigurations").ToList())
                {
                    app.DependsOn("validatingwebhookconfigurations.admissionregistration.k8s.io", null, name, resource.QualifiedName, doc["metadata"]!["namespace"]?.GetValue<string>(), doc["metadata"]!["name"]!.GetValue<string>());
                }
            }
        }

        // Every namespaced object needs its namespace; every custom resource its CRD.
        foreach (var (resource, doc) in app.Objects.ToList())
        {
            var ns = doc["metadata"]!["namespace"]?.GetValue<string>();
            var name = doc["metadata"]!["name"]!.GetValue<string>();
            if (ns is not null)
            {
                app.DependsOn(resource.QualifiedName, ns, name, "namespaces", null, ns);
            }

            if (crds.Contains(resource))
            {
                app.DependsOn(resource.QualifiedName, ns, name, "customresourcedefinitions.apiextensions.k8s.io", null, resource.QualifiedName);
            }
        }

        return app;
    }

    public ApiResource AddCrd(string group, string plural, string kind)
    {
        var doc = Add(Type("customresourcedefinitions.apiextensions.k8s.io"), null, $"{plural}.{group}");
        doc["spec"] = new JsonObject
        {
            ["group"] = group, ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["kind"] = kind },
            ["versions"] = new JsonArray(new JsonObject { ["name"] = "v1", ["served"] = true, ["storage"] = true }),
        };
        return new ApiResource(group, "v1", plural, kind, true, ["create"]);
    }

    public JsonObject Add(ApiResource resource, string? ns, string name)
    {
        var metadata = new JsonObject { ["name"] = name, ["uid"] = Guid.NewGuid().ToString(), ["resourceVersion"] = "42" };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        var doc = new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind, ["metadata"] = metadata };
        Objects.Add((resource, doc));
        return doc;
    }

    public void DependsOn(string resource, string? ns, string name, string onResource, string? onNs, string onName) =>
        Dependencies.Add((RecordingCluster.Key(resource, ns, name), RecordingCluster.Key(onResource, onNs, onName)));

    public async Task WriteBackupAsync(MemoryArtifactStore store, string backupId, Random random)
    {
        var prefix = ArtifactLayout.BackupPrefix("source", "adhoc", backupId);
        ArtifactEntry entry;
        await using (var writer = await store.CreateAsync(prefix + ArtifactLayout.ResourcesArchive))
        {
            await using (var archive = new ResourceArchiveWriter(writer.Content, DateTimeOffset.UnixEpoch))
            {
                foreach (var (resource, doc) in Objects.OrderBy(_ => random.Next()))
                {
                    var path = ArtifactLayout.ResourcePath(resource, doc["metadata"]!["namespace"]?.GetValue<string>(), doc["metadata"]!["name"]!.GetValue<string>());
                    await archive.WriteEntryAsync(path, KubeObjectJson.Serialize(new KubeObject(doc)));
                }

                entry = await archive.CompleteAsync(ArtifactLayout.ResourcesArchive);
            }

            await writer.CommitAsync();
        }

        var manifest = new BackupManifest
        {
            FormatVersion = ArtifactFormat.Version,
            Tool = new ToolInfo("strata", "test"),
            BackupId = backupId,
            Cluster = "source",
            Policy = "adhoc",
            ServerVersion = "v1.31.0",
            Scope = new BackupScope().ToSummary(),
            StartedAt = DateTimeOffset.UnixEpoch,
            CompletedAt = DateTimeOffset.UnixEpoch,
            Status = BackupStatus.Succeeded,
            Counts = new ObjectCounts(Objects.Count, new Dictionary<string, long>(), new Dictionary<string, long>()),
            GitOps = new GitOpsSummary(0, 0, new Dictionary<string, long>(), []),
            Artifacts = [entry],
        };
        await using var manifestWriter = await store.CreateAsync(prefix + ArtifactLayout.Manifest);
        await manifestWriter.Content.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(manifest, StrataJson.Default.BackupManifest));
        await manifestWriter.CommitAsync();
    }
}
