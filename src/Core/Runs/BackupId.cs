using System.Security.Cryptography;

namespace Strata.Core.Runs;

/// <summary>
/// Backup ids: <c>yyyyMMdd-HHmmss-xxxxxx</c> in UTC, so that ids sort by start time as text,
/// followed by six hex digits that tell apart backups started in the same second.
/// </summary>
public static class BackupId
{
    /// <summary>A new id for a backup started at <paramref name="startedAt"/>.</summary>
    public static string New(DateTimeOffset startedAt) =>
        $"{startedAt.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    /// <summary>Whether <paramref name="text"/> has the shape of a backup id (safe to use in keys).</summary>
    public static bool IsValid(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
