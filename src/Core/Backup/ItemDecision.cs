namespace Strata.Core.Backup;

/// <summary>What an action decided: keep the item (possibly changed) or leave it out, and why.</summary>
public readonly record struct ItemDecision(string? SkipReason)
{
    /// <summary>Keep the item.</summary>
    public static ItemDecision Keep => default;

    /// <summary>Leave the item out for <paramref name="reason"/>.</summary>
    public static ItemDecision Skip(string reason) => new(reason);

    /// <summary>Whether the item is left out.</summary>
    public bool IsSkip => SkipReason is not null;
}
