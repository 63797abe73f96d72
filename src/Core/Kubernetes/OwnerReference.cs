namespace Strata.Core.Kubernetes;

/// <summary>An entry of <c>metadata.ownerReferences</c>.</summary>
public sealed record OwnerReference(string ApiVersion, string Kind, string Name);
