namespace Strata.Core.Etcd;

/// <summary>One control-plane node's files, committed as a tar (<c>control-plane/{node}.tar</c>) of the entries under the root.</summary>
public sealed record ControlPlaneFilesRecord
{
    /// <summary>The node.</summary>
    public required string Node { get; init; }

    /// <summary>The artifact's path.</summary>
    public required string Path { get; init; }

    /// <summary>Bytes stored.</summary>
    public required long Size { get; init; }

    /// <summary>SHA-256 of the bytes stored.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The folder on the node the entries are relative to (<c>/etc/kubernetes</c>).</summary>
    public required string Root { get; init; }

    /// <summary>The entries taken (<c>pki</c>, <c>manifests</c>, <c>admin.conf</c>…): those asked for that the node has.</summary>
    public required IReadOnlyList<string> Entries { get; init; }

    /// <summary>Regular files in the tar.</summary>
    public required int Files { get; init; }

    /// <summary>Files that hold private keys (<c>*.key</c>, kubeconfigs with <c>client-key-data</c>), stored unencrypted as the policy allowed.</summary>
    public required int PrivateKeyFiles { get; init; }

    /// <summary>The Pod that read them (deleted afterwards).</summary>
    public required string Pod { get; init; }

    /// <summary>When the copy started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>How long it took, Pod start included.</summary>
    public required TimeSpan Duration { get; init; }
}
