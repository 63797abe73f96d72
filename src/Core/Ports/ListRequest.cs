namespace Strata.Core.Ports;

/// <summary>Scope of one list call.</summary>
/// <param name="Namespace">Namespace, or null for all namespaces (and for cluster-scoped resources).</param>
/// <param name="LabelSelector">Label selector in string form, or null.</param>
/// <param name="FieldSelector">Field selector in string form, or null.</param>
/// <param name="PageSize">The <c>limit</c> of each page.</param>
public sealed record ListRequest(string? Namespace = null, string? LabelSelector = null, string? FieldSelector = null, int PageSize = 500);
