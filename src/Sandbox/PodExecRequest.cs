namespace Strata.Sandbox;

/// <summary>A <c>pods/exec</c> call the sandbox accepted: which pod and container, and the command.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Container">The container, resolved as kube-apiserver resolves it (the pod's only container when the request named none).</param>
/// <param name="Command">The program and its arguments, as the <c>command</c> query parameters gave them.</param>
public sealed record PodExecRequest(string Namespace, string Pod, string Container, IReadOnlyList<string> Command)
{
    /// <summary>The node the pod runs on (<c>spec.nodeName</c>), whose kubelet would run the command; null when it has none.</summary>
    public string? Node { get; init; }
}
