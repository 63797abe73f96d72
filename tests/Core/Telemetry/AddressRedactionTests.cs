using Strata.Core.Telemetry;

namespace Strata.Core.Tests.Telemetry;

/// <summary>URLs out of free text, wherever it leaves the process.</summary>
public sealed class AddressRedactionTests
{
    [Theory]
    [InlineData("cluster dr (https://dr.example:6443/): cannot reach https://dr.example:6443/version", "cluster dr ([address] cannot reach [address]")]
    [InlineData("POST https://hooks.slack.com/services/T0/B0/secret answered 500", "POST [address] answered 500")]
    [InlineData("no address here", "no address here")]
    [InlineData(null, "")]
    public void Redact_FreeText_ReplacesEachUrlUpToTheNextSpace(string? text, string expected) =>
        Assert.Equal(expected, AddressRedaction.Redact(text));
}
