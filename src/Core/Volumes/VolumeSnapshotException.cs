namespace Strata.Core.Volumes;

/// <summary>One claim's snapshot could not be asked for (refused, or the name taken by someone else's object): an error of that claim.</summary>
/// <param name="message">What happened, naming the claim and the snapshot.</param>
/// <param name="reason">The problem's reason (<see cref="Results.ProblemReasons"/>, or the API's own).</param>
/// <param name="inner">The failure behind it.</param>
internal sealed class VolumeSnapshotException(string message, string reason, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
