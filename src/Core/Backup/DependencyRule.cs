using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>One rule of <see cref="ClusterDependencies"/>.</summary>
public sealed record DependencyRule(string Reason, Func<ApiResource, KubeObject, IEnumerable<Dependency>> Find);
