using Strata.Core.Kubernetes;

namespace Strata.Cli.Commands;

/// <summary>What <see cref="SelectionOptions"/> chose.</summary>
internal sealed record ObjectSelection(
    IReadOnlyList<string> IncludeNamespaces, IReadOnlyList<string> ExcludeNamespaces, LabelSelector Selector,
    IReadOnlyList<string> IncludeResources, IReadOnlyList<string> ExcludeResources);
