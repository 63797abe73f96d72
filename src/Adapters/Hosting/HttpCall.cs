using Strata.Core.ControlPlane;

namespace Strata.Adapters.Hosting;

/// <summary>An HTTP function's request, as every host hands it over: the control plane, the body, headers and query.</summary>
/// <param name="Context">The control plane the function reads or sends work to.</param>
/// <param name="Body">The request body (empty for a GET).</param>
/// <param name="Headers">Request headers, names compared case-insensitively.</param>
/// <param name="Query">Query parameters.</param>
/// <param name="Caller">Who is asking, once authorized; null where the host authorizes no one (<c>strata serve</c> on loopback).</param>
public sealed record HttpCall(
    ControlPlaneContext Context, string Body, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query, HttpCaller? Caller = null);
