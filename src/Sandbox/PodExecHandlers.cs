using System.Text;

namespace Strata.Sandbox;

/// <summary>Ready-made <see cref="PodExecHandler"/>s; <see cref="HostProcessExec"/> runs real programs.</summary>
public static class PodExecHandlers
{
    /// <summary>Answers every command with the same output and exit code.</summary>
    public static PodExecHandler Answer(string stdout, int exitCode = 0, string stderr = "") =>
        Answer(Encoding.UTF8.GetBytes(stdout), exitCode, Encoding.UTF8.GetBytes(stderr));

    /// <summary>Answers every command with the same output and exit code.</summary>
    public static PodExecHandler Answer(byte[] stdout, int exitCode, byte[] stderr) => async (session, cancellationToken) =>
    {
        await session.Stdout.WriteAsync(stdout, cancellationToken);
        await session.Stderr.WriteAsync(stderr, cancellationToken);
        return exitCode;
    };

    /// <summary>The default: the sandbox runs no containers, so an exec fails as a runtime failure saying so.</summary>
    internal static PodExecHandler NoContainers { get; } = (_, _) => throw new ContainerRuntimeException(
        "the Strata sandbox runs no containers: bind an exec handler to the pod (SandboxApiServer.BindExec) or set SandboxOptions.PodExec");
}
