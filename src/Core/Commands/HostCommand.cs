namespace Strata.Core.Commands;

/// <summary>A program to run on the runner's host.</summary>
/// <param name="Command">The program and its arguments (no shell).</param>
/// <param name="Environment">Variables added to the inherited environment (passwords go here, never in <paramref name="Command"/>).</param>
public sealed record HostCommand(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>Printing a command shows the program and arguments and only the names of its variables.</summary>
    public override string ToString() =>
        string.Join(' ', Command) + (Environment is { Count: > 0 } env ? $" (environment: {string.Join(", ", env.Keys)})" : "");
}
