using System.Collections.Concurrent;

namespace Strata.Sandbox;

/// <summary>Which handler runs a pod's <c>pods/exec</c> commands.</summary>
public sealed partial class SandboxApiServer
{
    private readonly ConcurrentDictionary<(string Namespace, string Pod), PodExecHandler> _execHandlers = new();

    /// <summary>
    /// Binds the pod <paramref name="ns"/>/<paramref name="pod"/> to <paramref name="handler"/>: its
    /// exec commands run there (a later binding replaces an earlier one). The pod need not exist yet;
    /// an exec checks it (exists, has the container, is Running) when it arrives.
    /// </summary>
    public void BindExec(string ns, string pod, PodExecHandler handler) => _execHandlers[(ns, pod)] = handler;

    internal PodExecHandler? ExecHandler(string ns, string pod) => _execHandlers.GetValueOrDefault((ns, pod));
}
