using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>One rule of <see cref="RecreatedByControllers"/>: the resource, why, and the test (a reason, or null).</summary>
public sealed record RecreationRule(string Resource, string Why, Func<KubeObject, IRestoreSetFacts, string?> Applies);
