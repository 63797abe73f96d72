using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Strata.Sandbox.Http;

/// <summary>
/// The query of a <c>pods/{name}/exec</c> request (<c>PodExecOptions</c>): the streams to attach,
/// tty, the container and the command; and the container kube-apiserver resolves from it.
/// </summary>
internal sealed record ExecQuery(bool Stdin, bool Stdout, bool Stderr, bool Tty, string? Container, IReadOnlyList<string> Command)
{
    public static ExecQuery Parse(IQueryCollection query) => new(
        Flag(query, "stdin"),
        Flag(query, "stdout"),
        Flag(query, "stderr"),
        Flag(query, "tty"),
        query["container"].FirstOrDefault() is { Length: > 0 } container ? container : null,
        [.. query["command"].Where(c => c is not null).Select(c => c!)]);

    /// <summary>What the kubelet refuses before it runs anything (the sandbox allocates no terminals).</summary>
    public void Validate()
    {
        if (Tty)
        {
            throw ApiError.BadRequest("the Strata sandbox allocates no terminals: tty=1 is not supported");
        }

        if (!Stdin && !Stdout && !Stderr)
        {
            throw ApiError.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        if (Command.Count == 0)
        {
            throw ApiError.BadRequest("you must specify at least one command for the container");
        }
    }

    /// <summary>
    /// The container to run in, as <c>validateContainer</c> in kube-apiserver's pod strategy picks
    /// it: the one named (which must be in the spec), or the pod's only container.
    /// </summary>
    public string ResolveContainer(JsonObject pod, string podName)
    {
        var spec = pod["spec"] as JsonObject;
        var containers = Names(spec?["containers"]);
        var all = Names(spec?["initContainers"]).Concat(containers).Concat(Names(spec?["ephemeralContainers"])).ToList();
        if (Container is { } named)
        {
            return all.Contains(named) ? named : throw ApiError.BadRequest($"container {named} is not valid for pod {podName}");
        }

        return containers.Count switch
        {
            1 => containers[0],
            0 => throw ApiError.BadRequest($"a container name must be specified for pod {podName}"),
            _ => throw ApiError.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', all)}]"),
        };
    }

    private static List<string> Names(JsonNode? containers) =>
        (containers as JsonArray)?.Select(c => c?["name"]?.GetValue<string>()).OfType<string>().ToList() ?? [];

    // As strconv.ParseBool, which decodes PodExecOptions' booleans.
    private static bool Flag(IQueryCollection query, string name) =>
        query[name].FirstOrDefault() is "1" or "t" or "T" or "true" or "TRUE" or "True";
}
