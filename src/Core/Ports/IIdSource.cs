namespace Strata.Core.Ports;

/// <summary>
/// Where the unique part of a new run id comes from (<see cref="Runs.BackupId.New"/>), as time comes from
/// <see cref="TimeProvider"/>: Core makes no ids of its own (Guid.NewGuid, System.Random and RandomNumberGenerator's id-shaped
/// calls are banned there), so tests pass a sequence and see the ids they expect. Hosts pass random ones.
/// </summary>
public interface IIdSource
{
    /// <summary><paramref name="hexDigits"/> lowercase hex digits, different from every earlier answer as far as it can tell.</summary>
    string NewHex(int hexDigits);
}
