using Strata.TestKit.Volumes;

namespace Strata.Sandbox.Tests.Http;

/// <summary>The TestKit's storage objects are what the API server accepts, and read back as built.</summary>
public class StorageObjectsTests
{
    [Fact]
    public async Task Builders_AreAcceptedByTheServer_WithTheFieldsTheyName()
    {
        await using var s = await SandboxSession.StartAsync(new SandboxOptions(), "shop");

        var (driverCode, driver) = await s.PostAsync("/apis/storage.k8s.io/v1/csidrivers", StorageObjects.CsiDriver("disk.csi.azure.com"));
        var (classCode, storageClass) = await s.PostAsync("/apis/storage.k8s.io/v1/storageclasses", StorageObjects.StorageClass("managed-csi", "disk.csi.azure.com", isDefault: true));
        var (claimCode, claim) = await s.PostAsync("/api/v1/namespaces/shop/persistentvolumeclaims",
            StorageObjects.Claim("shop", "data", "managed-csi", "2Gi", new Dictionary<string, string> { ["app"] = "shop" }));
        var (podCode, pod) = await s.PostAsync("/api/v1/namespaces/shop/pods", StorageObjects.Pod("shop", "db-0", ["data", "logs"],
            annotations: new Dictionary<string, string> { ["backup.strata.dev/hook"] = "fsfreeze" }, containers: ["db", "sidecar"]));
        var (setCode, statefulSet) = await s.PostAsync("/apis/apps/v1/namespaces/shop/statefulsets", StorageObjects.StatefulSet("shop", "db", "managed-csi", "3Gi", replicas: 2));

        Assert.Equal((201, 201, 201, 201, 201), (driverCode, classCode, claimCode, podCode, setCode));
        Assert.Equal("true", driver.Str("spec.attachRequired"));
        Assert.Equal(("Immediate", "Delete", "true"), (storageClass.Str("volumeBindingMode"), storageClass.Str("reclaimPolicy"),
            storageClass["metadata"]!["annotations"]!["storageclass.kubernetes.io/is-default-class"]!.GetValue<string>()));
        Assert.Equal(("managed-csi", "2Gi", "shop"), (claim.Str("spec.storageClassName"), claim.Str("spec.resources.requests.storage"), claim.Str("metadata.labels.app")));
        Assert.Equal(("data", "logs", "/mnt/logs"), (pod.Str("spec.volumes.0.persistentVolumeClaim.claimName"), pod.Str("spec.volumes.1.persistentVolumeClaim.claimName"),
            pod.Str("spec.containers.1.volumeMounts.1.mountPath")));
        Assert.Equal(("data", "3Gi", "managed-csi"), (statefulSet.Str("spec.volumeClaimTemplates.0.metadata.name"),
            statefulSet.Str("spec.volumeClaimTemplates.0.spec.resources.requests.storage"), statefulSet.Str("spec.volumeClaimTemplates.0.spec.storageClassName")));
    }
}
