using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>The default actions, in the order they run, each with the reason it exists.</summary>
public static class BackupItemActions
{
    /// <summary>The default pipeline for <paramref name="scope"/>.</summary>
    public static IReadOnlyList<IBackupItemAction> For(BackupScope scope) =>
    [
        new SkipFinishedPods(),
        new SkipControllerOwnedPods(),
        new ClassifyGitOps(scope.SkipGitOpsManaged),
        new StripManagedFields(),
    ];

    /// <summary>
    /// The default pipeline, and with a data key (the policy encrypts) <see cref="Encryption.EncryptSecretValues"/> last:
    /// after every action that reads or changes the object, so none of them sees a token instead of a value.
    /// </summary>
    public static IReadOnlyList<IBackupItemAction> For(BackupScope scope, Encryption.DataKey? secretValuesKey) =>
        secretValuesKey is null ? For(scope) : [.. For(scope), new Encryption.EncryptSecretValues(secretValuesKey)];

    /// <summary>Succeeded and Failed pods have nothing left to run.</summary>
    public sealed class SkipFinishedPods : IBackupItemAction
    {
        /// <inheritdoc />
        public bool AppliesTo(ApiResource resource) => resource is { Group: "", Name: "pods" };

        /// <inheritdoc />
        public ItemDecision Execute(BackupItem item) =>
            item.Object.GetString("status.phase") is "Succeeded" or "Failed"
                ? ItemDecision.Skip("pod has finished (Succeeded or Failed)")
                : ItemDecision.Keep;
    }

    /// <summary>Pods owned by a controller are recreated by it (ReplicaSet, StatefulSet, DaemonSet, Job).</summary>
    public sealed class SkipControllerOwnedPods : IBackupItemAction
    {
        /// <inheritdoc />
        public bool AppliesTo(ApiResource resource) => resource is { Group: "", Name: "pods" };

        /// <inheritdoc />
        public ItemDecision Execute(BackupItem item) =>
            item.Object.ControllerOwner is not null ? ItemDecision.Skip("pod owned by a controller") : ItemDecision.Keep;
    }

    /// <summary>Records who can rebuild the object from Git, and leaves it out when asked to.</summary>
    public sealed class ClassifyGitOps(bool skipManaged) : IBackupItemAction
    {
        /// <inheritdoc />
        public bool AppliesTo(ApiResource resource) => true;

        /// <inheritdoc />
        public ItemDecision Execute(BackupItem item)
        {
            item.GitOps = GitOpsClassifier.Classify(item.Object);
            return skipManaged && item.GitOps is not null
                ? ItemDecision.Skip("managed by GitOps (--skip-gitops-managed)")
                : ItemDecision.Keep;
        }
    }

    /// <summary>
    /// managedFields record which client last wrote which field; a restore writes every field
    /// anew, so they are noise (and often the largest part of an object).
    /// </summary>
    public sealed class StripManagedFields : IBackupItemAction
    {
        /// <inheritdoc />
        public bool AppliesTo(ApiResource resource) => true;

        /// <inheritdoc />
        public ItemDecision Execute(BackupItem item)
        {
            item.Object.Metadata.Remove("managedFields");
            return ItemDecision.Keep;
        }
    }
}
