using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>
/// What a function invocation produced: messages to send (sent only if the invocation succeeds)
/// and log lines. A function that cannot finish for a transient reason throws instead, so the
/// message is redelivered.
/// </summary>
public sealed class FunctionResult
{
    private readonly List<Envelope> _messages = [];
    private readonly List<string> _logs = [];

    /// <summary>Messages to send, in order.</summary>
    public IReadOnlyList<Envelope> Messages => _messages;

    /// <summary>Log lines (no secrets).</summary>
    public IReadOnlyList<string> Logs => _logs;

    /// <summary>
    /// Why the message this invocation handled can never be used (malformed, unknown, naming what does not
    /// exist), or null. It was recorded and alerted; a host that can dead-letter does so with this reason,
    /// one that cannot (the Functions host) completes it.
    /// </summary>
    public string? Rejection { get; private set; }

    /// <summary>Messages grouped by the queue they go to.</summary>
    public ILookup<string, Envelope> ByQueue => _messages.ToLookup(m => Queues.For(m.Payload));

    /// <summary>Adds a message to send.</summary>
    public void Send(Envelope message) => _messages.Add(message);

    /// <summary>Marks the message handled as rejected for <paramref name="reason"/>.</summary>
    public void Reject(string reason) => Rejection = reason;

    /// <summary>Adds a log line.</summary>
    public void Log(string line) => _logs.Add(line);
}
