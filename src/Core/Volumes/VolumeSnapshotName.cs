using System.Security.Cryptography;
using System.Text;
using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// The name of the <c>VolumeSnapshot</c> a Strata backup creates for a claim: <c>{claim}-strata-{backupId}</c>, a DNS-1123
/// subdomain of at most 253 characters (longer ones are cut and end in a hash of the whole), derived from the backup id
/// alone — so a replayed run finds the snapshot its first attempt created instead of taking a second one.
/// </summary>
public static class VolumeSnapshotName
{
    /// <summary>The VolumeSnapshot's name for the backup <paramref name="backupId"/> of <paramref name="claim"/>.</summary>
    public static string For(string claim, string backupId)
    {
        var wanted = $"{claim}-strata-{backupId}";
        var builder = new StringBuilder(wanted.Length);
        foreach (var c in wanted.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '.' ? c : '-');
        }

        var name = Tidy(builder.ToString());
        if (name.Length <= KubernetesNames.MaxSubdomainLength)
        {
            return name.Length == 0 ? "strata" : name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(wanted)))[..8];
        return $"{Tidy(name[..(KubernetesNames.MaxSubdomainLength - hash.Length - 1)])}-{hash}";
    }

    /// <summary>Each dot-separated part starts and ends with a letter or digit; no empty part.</summary>
    private static string Tidy(string name) =>
        string.Join('.', name.Split('.').Select(part => part.Trim('-')).Where(part => part.Length > 0));
}
