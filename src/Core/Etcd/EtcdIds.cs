using System.Globalization;

namespace Strata.Core.Etcd;

/// <summary>etcd's 64-bit member and cluster ids as etcdctl prints them.</summary>
public static class EtcdIds
{
    /// <summary>The id in lowercase hex, 16 digits (<c>8e9e05c52164694d</c>).</summary>
    public static string Hex(ulong id) => id.ToString("x16", CultureInfo.InvariantCulture);
}
