namespace Strata.Core.Scheduling;

/// <summary>A cron expression could not be parsed; <see cref="Reason"/> says which field and why.</summary>
public sealed class CronFormatException(string expression, string reason)
    : FormatException($"invalid cron expression '{expression}': {reason}")
{
    /// <summary>The expression.</summary>
    public string Expression { get; } = expression;

    /// <summary>What is wrong, naming the field.</summary>
    public string Reason { get; } = reason;
}
