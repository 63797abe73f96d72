namespace Strata.TestKit.Azure.ServiceBus;

/// <summary>How a handler settled a message.</summary>
public enum SettlementKind
{
    /// <summary>Not settled at all (the lock would expire and the message be delivered again).</summary>
    None,

    /// <summary>Completed: gone from the queue.</summary>
    Completed,

    /// <summary>Abandoned: delivered again, with its delivery count raised.</summary>
    Abandoned,

    /// <summary>Moved to the dead-letter queue.</summary>
    DeadLettered,
}

/// <summary>A settlement, with the dead-letter reason and description when there is one.</summary>
public sealed record Settlement(SettlementKind Kind, string? Reason = null, string? Description = null);
