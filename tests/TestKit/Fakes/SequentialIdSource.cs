using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>An <see cref="IIdSource"/> that counts: 000001, 000002, … so a test knows the ids a run will get.</summary>
public sealed class SequentialIdSource : IIdSource
{
    private int _next;

    /// <inheritdoc />
    public string NewHex(int hexDigits) => Interlocked.Increment(ref _next).ToString($"x{hexDigits}", System.Globalization.CultureInfo.InvariantCulture);
}
