using Strata.Core.Messages;

namespace Strata.Core.ControlPlane;

/// <summary>The queues of the pipeline (Service Bus queues in the cloud, in-process queues on one machine).</summary>
public static class Queues
{
    /// <summary><see cref="BackupRequested"/>, read by the backup worker.</summary>
    public const string Backups = "strata-backups";

    /// <summary><see cref="VerifyRequested"/>, read by the verification worker.</summary>
    public const string Verifications = "strata-verifications";

    /// <summary><see cref="RestoreRequested"/>, read by the restore worker.</summary>
    public const string Restores = "strata-restores";

    /// <summary><see cref="AlertRaised"/>, read by the alert dispatcher.</summary>
    public const string Alerts = "strata-alerts";

    /// <summary><see cref="BackupCompleted"/>, for other systems.</summary>
    public const string Events = "strata-events";

    /// <summary>The queue each message type goes to.</summary>
    public static string For(MessagePayload payload) => payload switch
    {
        BackupRequested => Backups,
        VerifyRequested => Verifications,
        RestoreRequested => Restores,
        AlertRaised => Alerts,
        BackupCompleted => Events,
        _ => throw new ArgumentException($"no queue for {payload.GetType().Name}"),
    };
}

/// <summary>A message as a queue trigger delivers it.</summary>
/// <param name="Queue">The queue it came from.</param>
/// <param name="Body">The body, as text (JSON).</param>
/// <param name="MessageId">The broker's message id, if any.</param>
/// <param name="DeliveryCount">1 for the first delivery.</param>
/// <param name="ApplicationProperties">The broker's application properties, as text.</param>
public sealed record InboundMessage(string Queue, string Body, string? MessageId = null, int DeliveryCount = 1, IReadOnlyDictionary<string, string>? ApplicationProperties = null);

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

    /// <summary>Messages grouped by the queue they go to.</summary>
    public ILookup<string, Envelope> ByQueue => _messages.ToLookup(m => Queues.For(m.Payload));

    /// <summary>Adds a message to send.</summary>
    public void Send(Envelope message) => _messages.Add(message);

    /// <summary>Adds a log line.</summary>
    public void Log(string line) => _logs.Add(line);
}
