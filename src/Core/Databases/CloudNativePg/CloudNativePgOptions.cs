namespace Strata.Core.Databases.CloudNativePg;

/// <summary>Tuning of the CloudNativePG layer.</summary>
public sealed record CloudNativePgOptions
{
    /// <summary>How often a backup reads its <c>Backup</c> while the operator works on it. Default 5 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}
