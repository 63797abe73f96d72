using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Volumes;

/// <summary>
/// Velero's backup hook annotations on a pod (<c>pre.hook.backup.velero.io/command</c>, <c>…/container</c>,
/// <c>…/timeout</c>, <c>…/on-error</c> and their <c>post.</c> twins), read as Velero reads them — a command that starts
/// with <c>[</c> is a JSON array, any other is one program with no arguments; the first container by default; a 30 s
/// timeout; <c>Fail</c> — except that what Velero quietly falls back on (a JSON array that does not parse, a timeout or
/// an <c>on-error</c> it cannot read) is refused here, naming the pod and the annotation: a freeze that silently runs
/// as something else is worse than one that does not run.
/// </summary>
internal static class VeleroHookAnnotations
{
    /// <summary>The annotations' prefix for a phase: <c>pre.hook.backup.velero.io/</c>.</summary>
    public static string Prefix(HookPhase phase) => phase == HookPhase.Pre ? "pre.hook.backup.velero.io/" : "post.hook.backup.velero.io/";

    /// <summary>The pod's annotation hook of <paramref name="phase"/>, or null when it has none.</summary>
    public static PodHook? Read(KubeObject pod, HookPhase phase)
    {
        var prefix = Prefix(phase);
        if (pod.Annotation(prefix + "command") is not { } text)
        {
            return null;
        }

        var where = $"pod {pod.Namespace}/{pod.Name}";
        var problems = new List<string>();
        var command = Command(text, $"{where}: annotation {prefix}command", problems);

        var timeout = HookCommand.DefaultTimeout;
        if (pod.Annotation(prefix + "timeout") is { } timeoutText && !GoDuration.TryParse(timeoutText, out timeout))
        {
            problems.Add($"{where}: annotation {prefix}timeout '{timeoutText}' is not a duration such as 30s or 1m30s");
            timeout = HookCommand.DefaultTimeout;
        }

        var onError = HookErrorMode.Fail;
        if (pod.Annotation(prefix + "on-error") is { } onErrorText)
        {
            if (HookErrorModes.TryParse(onErrorText) is { } mode)
            {
                onError = mode;
            }
            else
            {
                problems.Add($"{where}: annotation {prefix}on-error '{onErrorText}' is not Fail or Continue");
            }
        }

        var container = pod.Annotation(prefix + "container") is { Length: > 0 } named ? named : PodVolumes.FirstContainer(pod);
        return new PodHook(phase, $"annotation {prefix}command", pod.Namespace ?? "", pod.Name, container, command, timeout, onError,
            problems.Count == 0 ? null : string.Join("; ", problems) + "; the hook did not run");
    }

    private static IReadOnlyList<string> Command(string text, string annotation, List<string> problems)
    {
        if (text.Trim().Length == 0)
        {
            problems.Add($"{annotation} is empty");
            return [];
        }

        if (text[0] != '[')
        {
            // Velero's reading: the whole value is the program, with no arguments (no shell, no splitting on spaces).
            return [text];
        }

        try
        {
            if (JsonNode.Parse(text) is JsonArray array && array.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                var command = array.Select(e => e!.GetValue<string>()).ToList();
                if (command is { Count: > 0 } && command[0].Length > 0)
                {
                    return command;
                }

                problems.Add($"{annotation} is an empty command");
                return [];
            }

            problems.Add($"{annotation} is not a JSON array of strings");
        }
        catch (JsonException e)
        {
            problems.Add($"{annotation} is not a JSON array of strings ({e.Message})");
        }

        return [];
    }
}
