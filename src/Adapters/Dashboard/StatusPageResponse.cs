namespace Strata.Adapters.Dashboard;

/// <summary>The status page as an HTTP answer, for any host to copy out: the status code, the document, the headers.</summary>
/// <param name="StatusCode">200, or 404 for a cluster strata.yaml does not name.</param>
/// <param name="Html">The document.</param>
/// <param name="Headers">Content type, CSP and the other headers the page needs (<see cref="StatusPage.Headers"/>).</param>
public sealed record StatusPageResponse(int StatusCode, string Html, IReadOnlyDictionary<string, string> Headers);
