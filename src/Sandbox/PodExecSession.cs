namespace Strata.Sandbox;

/// <summary>
/// An exec the sandbox accepted, as its handler sees it: the request, and the command's three
/// streams on the WebSocket's channels. Output written to <see cref="Stdout"/> and
/// <see cref="Stderr"/> leaves at once in frames of at most 32 KiB, each write awaiting the
/// client (a slow reader slows the command, as a pipe does); nothing is buffered whole.
/// </summary>
public sealed class PodExecSession
{
    private readonly Action _abort;
    private int _aborted;

    internal PodExecSession(PodExecRequest request, string subprotocol, Stream stdin, Stream stdout, Stream stderr, Action abort)
    {
        Request = request;
        Subprotocol = subprotocol;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        _abort = abort;
    }

    /// <summary>Which pod, container and command.</summary>
    public PodExecRequest Request { get; }

    /// <summary>The channel subprotocol agreed with the client (<c>v5.channel.k8s.io</c>, <c>v4.channel.k8s.io</c>, …; empty when the client asked for none).</summary>
    public string Subprotocol { get; }

    /// <summary>
    /// What the client sends on channel 0. Empty when the request did not attach stdin; ends when
    /// the client sends the v5 close signal for it or the connection ends. Over v4 and older a
    /// client cannot close it: a command that reads to the end waits.
    /// </summary>
    public Stream Stdin { get; }

    /// <summary>Channel 1; writes are discarded when the request did not attach stdout.</summary>
    public Stream Stdout { get; }

    /// <summary>Channel 2; writes are discarded when the request did not attach stderr.</summary>
    public Stream Stderr { get; }

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool IsAborted => Volatile.Read(ref _aborted) == 1;

    /// <summary>
    /// Drops the connection without a status, as a node that dies or a proxy that times out does:
    /// the client sees the stream end before the exit status.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _abort();
        }
    }
}
