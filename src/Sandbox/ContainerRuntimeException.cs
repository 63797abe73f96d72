namespace Strata.Sandbox;

/// <summary>
/// The container runtime could not run an exec's command (the program does not exist in the
/// container, say). The sandbox answers it as the kubelet does: a <c>Failure</c> Status with reason
/// <c>InternalError</c> on the status channel, <c>error executing command in container: {message}</c>.
/// </summary>
public sealed class ContainerRuntimeException(string message) : Exception(message)
{
    /// <summary>What containerd and runc say when the program is not in the container.</summary>
    public static ContainerRuntimeException ProgramNotFound(string program)
    {
        var execId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return new ContainerRuntimeException(
            $"failed to exec in container: failed to start exec \"{execId}\": OCI runtime exec failed: exec failed: " +
            $"unable to start container process: exec: \"{program}\": executable file not found in $PATH: unknown");
    }
}
