using System.Security.Cryptography;
using Strata.Core.Ports;

namespace Strata.Core.Runs;

/// <summary>
/// Backup ids: <c>yyyyMMdd-HHmmss-xxxxxx</c> in UTC, so that ids sort by start time as text,
/// followed by six hex digits that tell apart backups started in the same second.
/// </summary>
public static class BackupId
{
    /// <summary>A new id for a run started at <paramref name="startedAt"/>, its last six digits from <paramref name="ids"/>.</summary>
    public static string New(DateTimeOffset startedAt, IIdSource ids) =>
        $"{startedAt.UtcDateTime:yyyyMMdd-HHmmss}-{ids.NewHex(6)}";

    /// <summary>
    /// The id of a run that must happen once per <paramref name="key"/>: a scheduled backup
    /// (policy, cluster, scheduled time) or a request (its message id). The same inputs always give
    /// the same id, so a replayed message or a double timer fire finds the existing run.
    /// </summary>
    public static string Derive(DateTimeOffset time, params string[] key) =>
        $"{time.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', key))))[..6]}";

    /// <summary>Whether <paramref name="text"/> has the shape of a backup id (safe to use in keys).</summary>
    public static bool IsValid(string text) =>
        text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
