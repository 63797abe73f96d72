using System.Text.Json.Nodes;
using Strata.Sandbox;

namespace Strata.Cli.Commands;

/// <summary>
/// The volumes of <c>strata demo</c>'s database part: the CSI snapshot API on the first sandbox (its simulated snapshot
/// controller cuts a snapshot in <see cref="SnapshotDelay"/>), a default VolumeSnapshotClass for the sample
/// application's driver, the PostgreSQL pod's data claim beside the sample's <c>shop/data</c>, and a claim of a class no
/// snapshot class serves — so one backup shows snapshots taken, one application-consistent, and one claim not protected.
/// </summary>
internal static class DemoVolumes
{
    /// <summary>How long the simulated CSI driver takes to cut and ready a snapshot.</summary>
    public static readonly TimeSpan SnapshotDelay = TimeSpan.FromSeconds(1);

    /// <summary>The claim that holds the demo database's data directory.</summary>
    public const string DataClaim = "pgdata-postgres-0";

    /// <summary>The claim of a class without a snapshot class: listed as not protected.</summary>
    public const string ScratchClaim = "scratch";

    private const string Driver = "disk.csi.azure.com";
    private const string Group = "snapshot.storage.k8s.io";

    /// <summary>Installs the snapshot API and the storage the demo's backup snapshots.</summary>
    public static void Seed(SandboxApiServer server)
    {
        foreach (var (plural, kind, namespaced) in new[] { ("volumesnapshotclasses", "VolumeSnapshotClass", false), ("volumesnapshotcontents", "VolumeSnapshotContent", false), ("volumesnapshots", "VolumeSnapshot", true) })
        {
            server.Create(Definition(plural, kind, namespaced));
        }

        server.Create(SampleApplication.Obj($"{Group}/v1", "VolumeSnapshotClass", null, "azuredisk-snapshots", extra: o =>
        {
            o["metadata"]!["annotations"] = new JsonObject { ["snapshot.storage.kubernetes.io/is-default-class"] = "true" };
            o["driver"] = Driver;
            o["deletionPolicy"] = "Delete";
        }));
        server.Create(SampleApplication.Obj("storage.k8s.io/v1", "StorageClass", null, "local-path", extra: o => o["provisioner"] = "rancher.io/local-path"));
        server.Create(Claim(DataClaim, "fast-ssd", "5Gi"));
        server.Create(Claim(ScratchClaim, "local-path", "1Gi"));
    }

    /// <summary>Waits (up to 30 s) until the claims the provisioner can bind are Bound: a backup before that finds nothing to snapshot.</summary>
    public static async Task WaitForBoundAsync(SandboxApiServer server, CancellationToken cancellationToken)
    {
        var claims = server.Store.FindType("", "persistentvolumeclaims")!;
        var deadline = server.Time.GetUtcNow() + TimeSpan.FromSeconds(30);
        while (server.Time.GetUtcNow() < deadline
            && server.Store.Get(claims, "shop", DataClaim)?.ToJson("v1", "PersistentVolumeClaim")["status"]?["phase"]?.GetValue<string>() != "Bound")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), server.Time, cancellationToken);
        }
    }

    private static JsonObject Claim(string name, string storageClass, string size) =>
        SampleApplication.Obj("v1", "PersistentVolumeClaim", "shop", name, new() { ["tier"] = "data" }, extra: o => o["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["storageClassName"] = storageClass,
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
        });

    /// <summary>
    /// A snapshot CRD as the demo installs it: the published group, names, scope, version and status subresource, and a
    /// schema that keeps what clients send. (The tests install the published definitions, with their full schemas, from
    /// the reference folder beside the repository; a fresh machine running the demo need not have it.)
    /// </summary>
    private static JsonObject Definition(string plural, string kind, bool namespaced) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{Group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = Group,
            ["scope"] = namespaced ? "Namespaced" : "Cluster",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["subresources"] = kind == "VolumeSnapshotClass" ? new JsonObject() : new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true } },
            }),
        },
    };
}
