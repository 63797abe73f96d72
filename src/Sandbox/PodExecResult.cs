namespace Strata.Sandbox;

/// <summary>What a <c>pods/exec</c> command printed and how it exited, as the sandbox answers it.</summary>
public sealed record PodExecResult(byte[] Stdout, byte[] Stderr, int ExitCode);
