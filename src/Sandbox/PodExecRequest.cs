namespace Strata.Sandbox;

/// <summary>A <c>pods/exec</c> call the sandbox received: which pod and container, and the command.</summary>
public sealed record PodExecRequest(string Namespace, string Pod, string? Container, IReadOnlyList<string> Command);
