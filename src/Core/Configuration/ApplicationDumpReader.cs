using Strata.Core.Applications;
using Strata.Core.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace Strata.Core.Configuration;

/// <summary>Reads a policy's <c>applications:</c> — application backup commands run in pods — every problem located.</summary>
internal static class ApplicationDumpReader
{
    public static IReadOnlyList<ApplicationDump> ReadAll(ConfigurationReader reader, YamlMappingNode policy, string policyPath)
    {
        var dumps = reader.List(policy, "applications", required: false, Read, policyPath);
        foreach (var duplicate in dumps.GroupBy(d => d.Qualified, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            reader.Error(duplicate.Last().Line, $"{policyPath}.applications", $"two application dumps are named '{duplicate.Key}'");
        }

        return dumps;
    }

    private static ApplicationDump? Read(ConfigurationReader reader, YamlNode node, string path)
    {
        if (reader.Mapping(node, path) is not { } map)
        {
            return null;
        }

        reader.OnlyKeys(map, path, "name", "namespace", "pod", "selector", "container", "command", "file", "removeFile", "artifact", "verify", "timeout");
        var name = reader.Name(map, path);
        var ns = reader.OptionalString(map, path, "namespace");
        var pod = reader.OptionalString(map, path, "pod");
        LabelSelector? selector = null;
        if (reader.Child(map, "selector") is { } selectorNode && reader.Scalar(selectorNode, $"{path}.selector") is { } text
            && (!LabelSelector.TryParse(text, out selector, out var error) || selector.IsEmpty))
        {
            reader.Error(selectorNode, $"{path}.selector", error ?? "an empty selector would pick any pod in the namespace");
            selector = null;
        }

        IReadOnlyList<string> Words(string key) => reader.List(map, key, required: false, (r, n, p) => r.Scalar(n, p) is { Length: > 0 } s ? s : null, path);
        var command = Words("command");
        var verify = Words("verify");
        var file = reader.OptionalString(map, path, "file");
        var artifact = reader.OptionalString(map, path, "artifact");
        if (ns is null)
        {
            reader.Error(map, path, "'namespace' is required: the namespace of the application's pod");
        }

        if ((pod is null) == (selector is null) && reader.Child(map, "selector") is null)
        {
            reader.Error(map, path, "give one of 'pod' (a pod's name) or 'selector' (labels of the application's pods)");
        }

        if (command.Count == 0)
        {
            reader.Error(map, path, "'command' is required: the backup command, as a list (program first)");
        }

        if (artifact is not null && (artifact.Contains('/', StringComparison.Ordinal) || artifact is "." or ".."))
        {
            reader.Error(reader.Child(map, "artifact")!, $"{path}.artifact", $"'{artifact}' must be a file name, without '/'");
            artifact = null;
        }

        return name is null || ns is null || command.Count == 0 ? null : new ApplicationDump
        {
            Name = name,
            Namespace = ns,
            Pod = pod,
            PodSelector = selector,
            Container = reader.OptionalString(map, path, "container"),
            Command = command,
            File = file,
            RemoveFile = reader.OptionalBool(map, path, "removeFile") ?? false,
            Artifact = artifact ?? (file is null ? $"{name}.out" : $"{name}{Extension(file)}"),
            Verify = verify.Count > 0 ? verify : null,
            Timeout = reader.Duration(map, path, "timeout") ?? ApplicationDump.DefaultTimeout,
            Line = ConfigurationReader.LineOf(map),
        };
    }

    private static string Extension(string file)
    {
        var name = file[(file.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && !name[dot..].Contains('*', StringComparison.Ordinal) ? name[dot..] : ".out";
    }
}
