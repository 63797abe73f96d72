namespace Strata.Core.Volumes;

/// <summary>How a hook ended.</summary>
public enum HookOutcome
{
    /// <summary>Exit code 0.</summary>
    Succeeded,

    /// <summary>A non-zero exit code, or exec failed.</summary>
    Failed,

    /// <summary>Did not end within its timeout.</summary>
    TimedOut,
}
