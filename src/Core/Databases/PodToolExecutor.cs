using System.Text;
using Strata.Core.Artifacts;
using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Core.Databases;

/// <summary>
/// Runs a target's tools inside its pod through <see cref="IPodExec"/>. The exec API passes no environment, so
/// secrets travel on stdin: a short <c>sh</c> script reads one line per secret into its variable, exports it, and
/// <c>exec</c>s the tool with the arguments as positional parameters (never quoted into the script) — the
/// password is in the tool's environment, never on a command line that <c>ps</c> shows. Input beyond the secrets is
/// cut to its announced length with <c>head -c</c>, so a tool reading stdin sees its end on every exec protocol.
/// </summary>
public sealed class PodToolExecutor(IPodExec exec, string ns, string pod, string? container) : IToolExecutor
{
    /// <inheritdoc />
    public string Where => $"pod {ns}/{pod}" + (container is null ? "" : $" (container {container})");

    /// <summary>The pod the tools run in.</summary>
    public (string Namespace, string Name) Pod => (ns, pod);

    /// <inheritdoc />
    public async Task<CommandExit> RunAsync(DatabaseCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
    {
        var argv = Argv(command);
        var secrets = command.Secrets.Count == 0 ? null
            : Encoding.UTF8.GetBytes(string.Concat(command.Secrets.Select(s => s.Value + "\n")));
        var payload = streams.Stdin is { } given && command.StdinLength is { } length ? new ExactLengthStream(given, length) : streams.Stdin;
        var stdin = (secrets, payload) switch
        {
            (null, var input) => input,
            (var prefix, null) => new MemoryStream(prefix, writable: false),
            (var prefix, var input) => new ConcatenatedStream(prefix, input),
        };
        try
        {
            return await exec.ExecAsync(new PodCommand(ns, pod, container, argv), streams with { Stdin = stdin }, cancellationToken);
        }
        catch (ClusterRequestException e)
        {
            // Refused or unreachable before the command started: a command that did not run, in the caller's terms.
            return new CommandExit(null, "", $"the exec was refused: {e.Message}");
        }
    }

    /// <summary>The exec command: the tool itself when nothing needs a shell, else <c>sh -c SCRIPT strata ARGS…</c>.</summary>
    public static IReadOnlyList<string> Argv(DatabaseCommand command)
    {
        var needsShell = command.Secrets.Count > 0 || command.Programs.Count > 1 || command.StdinLength is not null || command.TimeLimit is not null;
        if (!needsShell)
        {
            return [command.Program, .. command.Arguments];
        }

        var script = new StringBuilder();
        foreach (var (name, value) in command.Secrets)
        {
            if (!IsVariableName(name))
            {
                throw new ArgumentException($"'{name}' is not an environment variable name", nameof(command));
            }

            if (value.AsSpan().IndexOfAny('\n', '\r', '\0') >= 0)
            {
                throw new ArgumentException($"the value of {name} contains a line break or NUL, which cannot be passed to {command.Program}", nameof(command));
            }

            script.Append("IFS= read -r ").Append(name).Append(" || exit 125; export ").Append(name).Append("; ");
        }

        // Programs are Strata's own constants (tool names), so they may be written into the script.
        script.Append("p=; for c in ").Append(string.Join(' ', command.Programs.Select(Quote)))
            .Append("; do command -v \"$c\" >/dev/null 2>&1 && { p=$c; break; }; done; ")
            .Append("[ -n \"$p\" ] || { echo \"").Append(string.Join(", ", command.Programs)).Append(": not found\" >&2; exit 127; }; ");
        if (command.TimeLimit is { } limit)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(limit.TotalSeconds));
            script.Append($"command -v timeout >/dev/null 2>&1 && set -- timeout {seconds} \"$p\" \"$@\" || set -- \"$p\" \"$@\"; ");
        }
        else
        {
            script.Append("set -- \"$p\" \"$@\"; ");
        }

        script.Append(command.StdinLength is { } length ? $"head -c {length} | \"$@\"" : "exec \"$@\"");
        return ["sh", "-c", script.ToString(), "strata", .. command.Arguments];
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Quote(string program) => program.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
        ? program
        : throw new ArgumentException($"'{program}' is not a program name");
}
