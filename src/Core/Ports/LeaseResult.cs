namespace Strata.Core.Ports;

/// <summary>The answer to a lease request.</summary>
/// <param name="Acquired">True when the caller holds the lease now (newly, or it already held it).</param>
/// <param name="Holder">Who holds it.</param>
/// <param name="ExpiresAt">Until when.</param>
/// <param name="Renewed">True when the caller already held it (another invocation of the same work).</param>
/// <param name="TakenOverFrom">The holder whose expired lease was taken over, if any.</param>
public sealed record LeaseResult(bool Acquired, string Holder, DateTimeOffset ExpiresAt, bool Renewed = false, string? TakenOverFrom = null);
