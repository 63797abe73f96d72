namespace Strata.Adapters.Hosting;

/// <summary>One HTTP function: where it is reached, who may call it, what it sends, and the code that answers.</summary>
/// <param name="Name">The function's name (its folder in the Functions app, the path the host POSTs to).</param>
/// <param name="Route">The Functions route, under <c>/api/</c>.</param>
/// <param name="Method">The HTTP method, lowercase.</param>
/// <param name="Access">Anonymous, or a function key.</param>
/// <param name="Role">The Entra ID app role (<see cref="AppRoles"/>) needed with App Service Authentication on; null: the key is enough.</param>
/// <param name="Sends">The queues it sends to.</param>
/// <param name="ServePath">Where <c>strata serve</c> answers it, or null when only the control plane serves it (work is asked for there).</param>
/// <param name="Answer">The code that answers, the same for every host.</param>
public sealed record HttpFunction(
    string Name, string Route, string Method, HttpAccess Access, string? Role, IReadOnlyList<string> Sends, string? ServePath,
    Func<HttpCall, CancellationToken, Task<HttpAnswer>> Answer)
{
    /// <summary>
    /// A probe answers even when the control plane does not load — 503 with the reason — and before any authorization, so
    /// a platform's health check learns whether the app works and nothing more.
    /// </summary>
    public bool Probe { get; init; }
}
