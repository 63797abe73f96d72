namespace Strata.Core.Ports;

/// <summary>The <see cref="IIdSource"/> of a host that wired none: asking for an id fails, saying what to pass.</summary>
public sealed class UnwiredIdSource : IIdSource
{
    /// <summary>The one instance.</summary>
    public static UnwiredIdSource Instance { get; } = new();

    /// <inheritdoc />
    public string NewHex(int hexDigits) =>
        throw new InvalidOperationException("a run without an id needs an id source: give the request its id, or the options an IIdSource");
}
