namespace Strata.Adapters.Dashboard;

/// <summary>A status page as it is sent: the document and the Content-Security-Policy that lets its one style sheet apply.</summary>
/// <param name="Html">The whole document.</param>
/// <param name="ContentSecurityPolicy">The header's value (<see cref="PageStyle.ContentSecurityPolicy"/>).</param>
public sealed record RenderedPage(string Html, string ContentSecurityPolicy);
