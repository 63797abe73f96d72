namespace Strata.Core.Etcd;

/// <summary>What a control-plane tar holds, read to its end-of-archive marker (<see cref="ControlPlaneTar"/>).</summary>
public sealed record ControlPlaneTarContents
{
    /// <summary>Every entry: folders, files, links.</summary>
    public required int Entries { get; init; }

    /// <summary>Regular files.</summary>
    public required int Files { get; init; }

    /// <summary>Regular files that hold private keys: <c>*.key</c>, and kubeconfigs (<c>*.conf</c>) with <c>client-key-data</c>.</summary>
    public required int PrivateKeyFiles { get; init; }

    /// <summary>The top-level names (<c>pki</c>, <c>manifests</c>, <c>admin.conf</c>), in the order first seen.</summary>
    public required IReadOnlyList<string> TopLevel { get; init; }

    /// <summary>Entry names (or hard-link targets) that are absolute or climb out with <c>..</c>: the first few, for the report.</summary>
    public required IReadOnlyList<string> UnsafePaths { get; init; }

    /// <summary>How many entry names (or hard-link targets) are absolute or climb out.</summary>
    public required int UnsafeCount { get; init; }
}
