namespace Strata.Cli;

/// <summary>Exit codes: 0 succeeded, 1 partially failed (the problems are listed), 2 failed or bad input.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int PartiallyFailed = 1;
    public const int Failed = 2;
}
