namespace Strata.Sandbox;

/// <summary>
/// Runs a <c>pods/exec</c> command for the sandbox, which has no containers: reads
/// <see cref="PodExecSession.Stdin"/>, writes <see cref="PodExecSession.Stdout"/> and
/// <see cref="PodExecSession.Stderr"/> as the command produces output, and returns its exit code.
/// Throwing <see cref="ContainerRuntimeException"/> reports that the runtime could not run it.
/// </summary>
/// <param name="session">The accepted exec: the request and its streams.</param>
/// <param name="cancellationToken">Cancelled when the client goes away.</param>
public delegate Task<int> PodExecHandler(PodExecSession session, CancellationToken cancellationToken);
