namespace Strata.Core.Retention;

/// <summary>What retention does with a backup.</summary>
public enum RetentionVerdict
{
    /// <summary>Kept; <see cref="RetentionDecision.Reason"/> says which rule keeps it.</summary>
    Keep,

    /// <summary>Deleted.</summary>
    Expire,

    /// <summary>Retention would delete it, but its write-once lock has not expired.</summary>
    Locked,
}
