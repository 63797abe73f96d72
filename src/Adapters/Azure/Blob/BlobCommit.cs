using System.Globalization;
using global::Azure.Core;

namespace Strata.Adapters.Azure.Blob;

/// <summary>
/// What a commit (Put Blob or Put Block List) states about the new blob: never overwrite
/// (<c>If-None-Match: *</c>), the SHA-256 of the whole as metadata, and the write-once headers
/// when the lock is applied at commit.
/// </summary>
internal sealed record BlobCommit(string Sha256, WriteOnceLock? Lock)
{
    /// <summary>Metadata key holding the lowercase hex SHA-256 of the content.</summary>
    public const string Sha256Metadata = "sha256";

    public void Apply(Request request)
    {
        request.Headers.SetValue("If-None-Match", "*");
        request.Headers.SetValue("x-ms-blob-content-type", "application/octet-stream");
        request.Headers.SetValue("x-ms-meta-" + Sha256Metadata, Sha256);
        if (Lock is { } writeOnce)
        {
            request.Headers.SetValue("x-ms-immutability-policy-until-date", writeOnce.Until.ToString("R", CultureInfo.InvariantCulture));
            request.Headers.SetValue("x-ms-immutability-policy-mode", writeOnce.Mode.ToHeader());
            if (writeOnce.LegalHold)
            {
                request.Headers.SetValue("x-ms-legal-hold", "true");
            }
        }
    }
}

/// <summary>A write-once lock for one blob: retained until a date, in a mode, optionally under legal hold.</summary>
public sealed record WriteOnceLock(DateTimeOffset Until, ImmutabilityMode Mode, bool LegalHold);

/// <summary>
/// Immutability policy modes. Unlocked: the date may still be shortened or the policy removed by
/// someone with the right role. Locked: the date can only be extended — nobody can delete the blob
/// before it.
/// </summary>
public enum ImmutabilityMode
{
    Unlocked,
    Locked,
}

internal static class ImmutabilityModeHeader
{
    public static string ToHeader(this ImmutabilityMode mode) => mode == ImmutabilityMode.Locked ? "Locked" : "Unlocked";

    public static ImmutabilityMode? Parse(string? header) => header?.ToLowerInvariant() switch
    {
        "locked" => ImmutabilityMode.Locked,
        "unlocked" => ImmutabilityMode.Unlocked,
        _ => null,
    };
}
