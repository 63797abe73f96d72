namespace Strata.Adapters.Hosting;

/// <summary>An authorized caller.</summary>
/// <param name="Identity">The caller as the run records it (<c>function-key</c>, an Entra ID identity).</param>
/// <param name="RequestedBy">What the run records as its requester, given what the body states.</param>
public sealed record HttpCaller(string Identity, Func<string?, string> RequestedBy);
