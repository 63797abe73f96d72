using System.Text.Json.Nodes;
using Strata.TestKit.Volumes;

namespace Strata.Sandbox.Tests.Controllers;

/// <summary>A sandbox with the snapshot CRDs and simulated snapshots: an Azure Disk class and default snapshot class, and a bound 5Gi claim <c>shop/data</c>.</summary>
internal static class SnapshotSandbox
{
    public const string Driver = "disk.csi.azure.com";
    public const string Snapshots = "/apis/snapshot.storage.k8s.io/v1/namespaces/shop/volumesnapshots";
    public const string Contents = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents";
    public const string SnapshotClasses = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses";
    public const string Claims = "/api/v1/namespaces/shop/persistentvolumeclaims";

    public static async Task<SandboxSession> StartAsync(SimulatedSnapshots snapshots, bool defaultClass = true, SimulatedControllers? controllers = null)
    {
        var s = await SandboxSession.StartAsync(new SandboxOptions { Controllers = (controllers ?? new SimulatedControllers()) with { Snapshots = snapshots } }, "shop");
        VolumeSnapshotCrds.Install(s.Server);
        s.Server.Create(StorageObjects.StorageClass("managed-csi", Driver));
        s.Server.Create(StorageObjects.VolumeSnapshotClass("csi-azuredisk-vsc", Driver, isDefault: defaultClass));
        s.Server.Create(StorageObjects.Claim("shop", "data", "managed-csi", "5Gi"));
        return s;
    }

    public static Task<(int Status, JsonObject Body)> SnapshotAsync(this SandboxSession s, string name) => s.GetAsync($"{Snapshots}/{name}");

    /// <summary>Waits for the snapshot's status to satisfy <paramref name="done"/>.</summary>
    public static async Task<JsonObject> SnapshotUntilAsync(this SandboxSession s, string name, Func<JsonObject, bool> done) =>
        (await s.UntilAsync($"{Snapshots}/{name}", (code, vs) => code == 200 && done(vs))).Body;

    public static async Task<JsonObject> ContentOfAsync(this SandboxSession s, JsonObject snapshot) =>
        (await s.GetAsync($"{Contents}/{snapshot.Str("status.boundVolumeSnapshotContentName")}")).Body;
}
