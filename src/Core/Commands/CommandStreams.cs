namespace Strata.Core.Commands;

/// <summary>What a command reads and where its output goes.</summary>
/// <param name="Stdin">Sent to the command's stdin, which is then closed; null when the command reads nothing (stdin not attached).</param>
/// <param name="Stdout">
/// Reads the command's stdout forward to its end (the end of the stream is the end of the output, not proof of
/// success: the caller checks <see cref="CommandExit"/> before trusting what it read). Null discards stdout.
/// </param>
/// <param name="StderrLimit">How many bytes of stderr's tail are kept for the report.</param>
public sealed record CommandStreams(Stream? Stdin = null, Func<Stream, CancellationToken, Task>? Stdout = null, int StderrLimit = 16 * 1024);
