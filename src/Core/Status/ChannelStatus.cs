using Strata.Core.Configuration;

namespace Strata.Core.Status;

/// <summary>One alert channel on the status page: how its deliveries have gone (a revoked webhook shows here).</summary>
/// <param name="Name">The channel's name.</param>
/// <param name="Type">Its kind.</param>
/// <param name="State"><c>ok</c> (the last delivery went through), <c>failing</c>, or <c>unused</c> (nothing sent yet).</param>
/// <param name="ConsecutiveFailures">Failed deliveries since the last one that went through.</param>
/// <param name="LastSuccessAt">When a delivery last went through.</param>
/// <param name="LastFailureAt">When one last failed.</param>
/// <param name="LastError">Why (the service's answer, never a secret).</param>
public sealed record ChannelStatus(
    string Name, AlertChannelType Type, string State, int ConsecutiveFailures, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastError);
