using System.Text.Json.Nodes;

namespace Strata.Sandbox;

/// <summary>
/// A small but realistic application for demos and tests: three namespaces, workloads, Services,
/// Secrets, RBAC, a bound PVC, a CRD with custom resources, objects managed by Argo CD and Flux,
/// and the runtime clutter a backup leaves out (controller-owned and finished pods, events).
/// </summary>
public static class SampleApplication
{
    public const string WidgetGroup = "demo.strata.dev";

    public static void Seed(SandboxApiServer server)
    {
        foreach (var ns in new[] { "shop", "auth", "monitoring" })
        {
            server.CreateNamespace(ns, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns });
        }

        server.Create(Obj("storage.k8s.io/v1", "StorageClass", null, "fast-ssd", extra: o => o["provisioner"] = "disk.csi.azure.com"));
        server.Create(Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, "shop-reader", extra: o => o["rules"] = new JsonArray(
            new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps"), ["verbs"] = new JsonArray("get", "list") })));
        server.Create(Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, "unrelated-admin"));
        server.Create(WidgetCrd());

        // shop: a web tier managed by Argo CD, an imperative cache, data, and RBAC.
        var argo = new Dictionary<string, string> { ["argocd.argoproj.io/tracking-id"] = "shop:apps/Deployment:shop/web" };
        server.Create(Deployment("shop", "web", "frontend", annotations: argo));
        server.Create(Deployment("shop", "api", "backend"));
        server.Create(Deployment("shop", "cache", "cache"));
        server.Create(Service("shop", "web", "frontend"));
        server.Create(Service("shop", "api", "backend"));
        server.Create(Obj("v1", "ConfigMap", "shop", "web-config", new() { ["tier"] = "frontend" }, extra: o => o["data"] = new JsonObject { ["THEME"] = "dark" }));
        server.Create(Obj("v1", "Secret", "shop", "db-credentials", new() { ["tier"] = "backend" },
            extra: o => o["stringData"] = new JsonObject { ["username"] = "shop", ["password"] = "demo-only-not-a-secret" }));
        server.Create(Obj("v1", "ServiceAccount", "shop", "api"));
        server.Create(Obj("rbac.authorization.k8s.io/v1", "RoleBinding", "shop", "api-reads-config", extra: o =>
        {
            o["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "shop-reader" };
            o["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "api", ["namespace"] = "shop" });
        }));
        server.Create(Obj("v1", "PersistentVolume", null, "pv-shop-data", extra: o => o["spec"] = new JsonObject
        {
            ["capacity"] = new JsonObject { ["storage"] = "10Gi" },
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["storageClassName"] = "fast-ssd",
            ["csi"] = new JsonObject { ["driver"] = "disk.csi.azure.com", ["volumeHandle"] = "/subscriptions/demo/disks/shop-data" },
            ["claimRef"] = new JsonObject { ["kind"] = "PersistentVolumeClaim", ["namespace"] = "shop", ["name"] = "data" },
        }));
        server.Create(Obj("v1", "PersistentVolumeClaim", "shop", "data", new() { ["tier"] = "backend" }, extra: o => o["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["storageClassName"] = "fast-ssd",
            ["volumeName"] = "pv-shop-data",
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "10Gi" } },
        }));
        var checkout = server.Create(Widget("shop", "checkout", 3));
        server.Create(Widget("shop", "catalog", 5));
        // Owned by a custom resource, which is restored after it: its owner reference must follow the new uid.
        server.Create(Obj("v1", "ConfigMap", "shop", "checkout-settings", extra: o =>
        {
            o["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = $"{WidgetGroup}/v1", ["kind"] = "Widget", ["name"] = "checkout",
                ["uid"] = checkout["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true,
            });
            o["data"] = new JsonObject { ["currency"] = "EUR" };
        }));
        server.Create(Obj("v1", "Service", "shop", "db-headless", extra: o => o["spec"] = new JsonObject
        {
            ["clusterIP"] = "None",
            ["selector"] = new JsonObject { ["app"] = "db" },
            ["ports"] = new JsonArray(new JsonObject { ["port"] = 5432 }),
        }));
        server.Create(Obj("networking.k8s.io/v1", "NetworkPolicy", "shop", "api-from-auth", extra: o => o["spec"] = new JsonObject
        {
            ["podSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "api" } },
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject
                {
                    ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/metadata.name"] = "auth" } },
                }),
            }),
        }));
        server.Create(Pod("shop", "web-7d4b9c-x2x8q", owner: "web-7d4b9c", phase: "Running"));
        server.Create(Pod("shop", "migrate-once", owner: null, phase: "Succeeded"));
        server.Create(Pod("shop", "debug-shell", owner: null, phase: "Running"));
        server.Create(Obj("v1", "Event", "shop", "web.17a8b", extra: o => o["reason"] = "Scheduled"));

        // auth: an identity service.
        server.Create(Deployment("auth", "keycloak", "backend"));
        server.Create(Service("auth", "keycloak", "backend"));
        server.Create(Obj("v1", "Secret", "auth", "oidc-client", extra: o => o["stringData"] = new JsonObject { ["clientSecret"] = "demo-only" }));
        server.Create(Obj("rbac.authorization.k8s.io/v1", "Role", "auth", "token-reader", extra: o => o["rules"] = new JsonArray(
            new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("secrets"), ["verbs"] = new JsonArray("get") })));
        server.Create(Widget("auth", "login", 2));

        // monitoring: delivered by Flux.
        var flux = new Dictionary<string, string>
        {
            ["kustomize.toolkit.fluxcd.io/name"] = "monitoring",
            ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system",
        };
        server.Create(Deployment("monitoring", "prometheus", "backend", labels: flux));
        server.Create(Obj("v1", "ConfigMap", "monitoring", "prometheus-rules", flux));
    }

    public static JsonObject WidgetCrd() => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"widgets.{WidgetGroup}" },
        ["spec"] = new JsonObject
        {
            ["group"] = WidgetGroup,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = "widgets", ["singular"] = "widget", ["kind"] = "Widget", ["shortNames"] = new JsonArray("wd") },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            }),
        },
    };

    public static JsonObject Widget(string ns, string name, int size) =>
        Obj($"{WidgetGroup}/v1", "Widget", ns, name, extra: o => o["spec"] = new JsonObject { ["size"] = size });

    public static JsonObject Deployment(string ns, string name, string tier, Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null)
    {
        var all = new Dictionary<string, string>(labels ?? []) { ["app"] = name, ["tier"] = tier };
        return Obj("apps/v1", "Deployment", ns, name, all, annotations, o => o["spec"] = new JsonObject
        {
            ["replicas"] = 2,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = $"registry.example.com/{name}:1.0" }),
                },
            },
        });
    }

    public static JsonObject Service(string ns, string name, string tier) =>
        Obj("v1", "Service", ns, name, new() { ["app"] = name, ["tier"] = tier }, extra: o => o["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["app"] = name },
            ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = 8080 }),
        });

    /// <summary>
    /// A database's pod, as a policy's database target finds it: Running, in <paramref name="ns"/> (created when
    /// missing), its exec bound to <paramref name="exec"/> (e.g. <see cref="HostProcessExec"/> against a real server),
    /// with a Secret <paramref name="secret"/> holding <paramref name="password"/> under key <c>password</c>.
    /// </summary>
    public static void DatabasePod(SandboxApiServer server, string ns, string pod, string container, string secret, string password, PodExecHandler exec)
    {
        if (server.Store.Get(server.Store.FindType("", "namespaces")!, null, ns) is null)
        {
            server.CreateNamespace(ns);
        }

        server.Create(Pod(ns, pod, null, "Running", container));
        server.Create(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = secret, ["namespace"] = ns },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)) },
        });
        server.BindExec(ns, pod, exec);
    }

    public static JsonObject Pod(string ns, string name, string? owner, string phase, string container = "main")
    {
        var pod = Obj("v1", "Pod", ns, name, extra: o =>
        {
            o["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = container, ["image"] = "busybox" }) };
            o["status"] = new JsonObject { ["phase"] = phase };
        });
        if (owner is not null)
        {
            pod["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = owner, ["uid"] = Guid.NewGuid().ToString(), ["controller"] = true,
            });
        }

        return pod;
    }

    public static JsonObject Obj(
        string apiVersion, string kind, string? ns, string name, Dictionary<string, string>? labels = null,
        Dictionary<string, string>? annotations = null, Action<JsonObject>? extra = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (labels is { Count: > 0 })
        {
            metadata["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        }

        if (annotations is { Count: > 0 })
        {
            metadata["annotations"] = new JsonObject([.. annotations.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        extra?.Invoke(obj);
        return obj;
    }
}
