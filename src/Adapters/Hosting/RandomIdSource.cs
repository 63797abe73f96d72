using System.Security.Cryptography;
using Strata.Core.Ports;

namespace Strata.Adapters.Hosting;

/// <summary>The hosts' <see cref="IIdSource"/>: cryptographically random digits, so ids started in the same second differ.</summary>
public sealed class RandomIdSource : IIdSource
{
    /// <summary>The one instance.</summary>
    public static RandomIdSource Instance { get; } = new();

    /// <inheritdoc />
    public string NewHex(int hexDigits) => RandomNumberGenerator.GetHexString(hexDigits, lowercase: true);
}
