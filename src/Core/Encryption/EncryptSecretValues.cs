using Strata.Core.Artifacts;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;

namespace Strata.Core.Encryption;

/// <summary>
/// The item action that encrypts each <c>core/v1</c> Secret's values (<see cref="SecretValues"/>) under the backup's
/// data key, bound to the object's archive path. It runs last, after every action that reads or changes the object.
/// A Secret whose <c>data</c> is not base64 is left out, with the reason, rather than stored in plaintext.
/// </summary>
/// <remarks>
/// One cipher context (<see cref="SecretValueKey"/>) serves the whole capture. A capture lists each resource on one
/// task, so Secrets come one at a time; should two calls overlap, the second sets up a context of its own for that
/// Secret. Dispose the action when the capture is done.
/// </remarks>
/// <param name="key">The backup's data key.</param>
public sealed class EncryptSecretValues(DataKey key) : IBackupItemAction, IDisposable
{
    private SecretValueKey? _idle;

    /// <inheritdoc />
    public bool AppliesTo(ApiResource resource) => resource is { Group: "", Version: "v1", Name: "secrets" };

    /// <inheritdoc />
    public ItemDecision Execute(BackupItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var obj = item.Object;
        var values = Interlocked.Exchange(ref _idle, null) ?? new SecretValueKey(key);
        try
        {
            SecretValues.EncryptInPlace(obj, ArtifactLayout.ResourcePath(item.Resource, obj.Namespace, obj.Name), values);
            return ItemDecision.Keep;
        }
        catch (FormatException)
        {
            return ItemDecision.Skip("a Secret data value is not base64, so it cannot be encrypted (left out rather than stored in plaintext)");
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _idle, values, null) is not null)
            {
                values.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _idle, null)?.Dispose();
}
