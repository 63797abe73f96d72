namespace Strata.Core.Kubernetes;

/// <summary>What a cluster's <c>/version</c> endpoint reports.</summary>
/// <param name="GitVersion">e.g. <c>v1.31.2</c> or <c>v1.30.4-eks-a737599</c>.</param>
/// <param name="Platform">e.g. <c>linux/amd64</c>.</param>
public sealed record ServerVersion(string GitVersion, string? Platform = null)
{
    /// <inheritdoc />
    public override string ToString() => GitVersion;
}
