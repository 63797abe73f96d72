namespace Strata.Core.Commands;

/// <summary>A command to run in a pod's container through <c>pods/exec</c>.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Container">The container; null for the pod's only (or default) container.</param>
/// <param name="Command">The program and its arguments, exactly as exec passes them (no shell).</param>
public sealed record PodCommand(string Namespace, string Pod, string? Container, IReadOnlyList<string> Command)
{
    /// <summary>For messages: <c>ns/pod[/container]</c>.</summary>
    public string Where => Container is null ? $"{Namespace}/{Pod}" : $"{Namespace}/{Pod}/{Container}";
}
