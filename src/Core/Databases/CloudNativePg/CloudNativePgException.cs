namespace Strata.Core.Databases.CloudNativePg;

/// <summary>A CloudNativePG Cluster or Backup cannot be read or asked for: one line that says which and why.</summary>
/// <param name="message">What happened.</param>
/// <param name="reason">The problem reason (<see cref="Results.ProblemReasons"/>).</param>
/// <param name="inner">The failure underneath, if any.</param>
public sealed class CloudNativePgException(string message, string reason, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The problem reason (<see cref="Results.ProblemReasons"/>).</summary>
    public string Reason { get; } = reason;
}
