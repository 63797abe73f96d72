using System.CommandLine;
using Strata.Core.Kubernetes;

namespace Strata.Cli.Commands;

/// <summary>
/// The options that choose objects by namespace, label and type — declared once, for <c>backup create</c>
/// (what to capture) and <c>restore create</c> (what to put back).
/// </summary>
/// <param name="verb">What the command does with the objects, for help ("back up", "restore").</param>
internal sealed class SelectionOptions(string verb)
{
    public Option<string[]> IncludeNamespaces { get; } = CommonOptions.List("--include-namespaces", $"Namespaces to {verb} (default: all).");

    public Option<string[]> ExcludeNamespaces { get; } = CommonOptions.List("--exclude-namespaces", "Namespaces to leave out.");

    public Option<string?> Selector { get; } = new("--selector", "-l") { Description = $"Only {verb} objects matching this label selector, e.g. 'tier!=cache,app in (web,api)'." };

    public Option<string[]> IncludeResources { get; } = CommonOptions.List("--include-resources", $"Resource types to {verb}, as kubectl names them (default: all).");

    public Option<string[]> ExcludeResources { get; } = CommonOptions.List("--exclude-resources", "Resource types to leave out.");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { IncludeNamespaces, ExcludeNamespaces, Selector, IncludeResources, ExcludeResources })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The selection given, or the reason it is not valid (a malformed selector), checked before any request.</summary>
    public (ObjectSelection? Selection, string? Error) Read(ParseResult parsed) =>
        LabelSelector.TryParse(parsed.GetValue(Selector), out var selector, out var error)
            ? (new ObjectSelection(
                CommonOptions.Values(parsed.GetValue(IncludeNamespaces)), CommonOptions.Values(parsed.GetValue(ExcludeNamespaces)), selector,
                CommonOptions.Values(parsed.GetValue(IncludeResources)), CommonOptions.Values(parsed.GetValue(ExcludeResources))), null)
            : (null, $"--selector: {error}");
}
