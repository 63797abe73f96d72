using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;

namespace Strata.Core.Encryption;

/// <summary>
/// The item action that encrypts each <c>core/v1</c> Secret's values (<see cref="SecretValues"/>) under the backup's
/// data key, bound to the object's archive path. It runs last, after every action that reads or changes the object.
/// A Secret whose <c>data</c> is not base64 is left out, with the reason, rather than stored in plaintext.
/// </summary>
/// <param name="key">The backup's data key.</param>
public sealed class EncryptSecretValues(DataKey key) : IBackupItemAction
{
    /// <inheritdoc />
    public bool AppliesTo(ApiResource resource) => resource is { Group: "", Version: "v1", Name: "secrets" };

    /// <inheritdoc />
    public ItemDecision Execute(BackupItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var obj = item.Object;
        try
        {
            SecretValues.EncryptInPlace(obj, ArtifactLayout.ResourcePath(item.Resource, obj.Namespace, obj.Name), key);
            return ItemDecision.Keep;
        }
        catch (FormatException)
        {
            return ItemDecision.Skip("a Secret data value is not base64, so it cannot be encrypted (left out rather than stored in plaintext)");
        }
    }
}
