using System.Security.Cryptography;
using System.Text;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// The name of the <c>Backup</c> a Strata backup asks for: <c>{cluster}-strata-{backupId}</c>, a DNS-1123 label of at
/// most 63 characters (longer ones are cut and end in a hash of the whole), derived from the backup id alone — so a
/// replayed run finds the Backup its first attempt created instead of asking for a second one.
/// </summary>
public static class CloudNativePgBackupName
{
    /// <summary>The longest name: a DNS-1123 label.</summary>
    public const int MaxLength = 63;

    /// <summary>The Backup's name for the backup <paramref name="backupId"/> of the Cluster <paramref name="cluster"/>.</summary>
    public static string For(string cluster, string backupId)
    {
        var wanted = $"{cluster}-strata-{backupId}";
        var builder = new StringBuilder(wanted.Length);
        foreach (var c in wanted.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-');
        }

        var name = builder.ToString().Trim('-');
        if (name.Length <= MaxLength)
        {
            return name.Length == 0 ? "strata" : name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(wanted)))[..8];
        return $"{name[..(MaxLength - hash.Length - 1)].TrimEnd('-')}-{hash}";
    }
}
