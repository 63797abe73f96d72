using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Kubernetes;

public sealed class StorageQuantityTests
{
    [Theory]
    [InlineData("1Gi", 1L << 30)]
    [InlineData("10Gi", 10L << 30)]
    [InlineData("1.5Gi", 3L << 29)]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("1Ki", 1024L)]
    [InlineData("1k", 1000L)]
    [InlineData("5G", 5_000_000_000L)]
    [InlineData("2T", 2_000_000_000_000L)]
    [InlineData("1073741824", 1L << 30)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("1E3", 1000L)]
    [InlineData("2E", 2_000_000_000_000_000_000L)]
    [InlineData("1500m", 2L)] // 1.5 bytes: a fraction rounds up
    [InlineData(" 3Mi ", 3L << 20)]
    public void TryParseBytes_Quantity_Bytes(string quantity, long expected)
    {
        Assert.True(StorageQuantity.TryParseBytes(quantity, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Gi")]
    [InlineData("ten")]
    [InlineData("-1Gi")]
    [InlineData("1Zi")]
    [InlineData("9Ei")] // more than a long holds
    public void TryParseBytes_NotAQuantity_False(string? quantity) => Assert.False(StorageQuantity.TryParseBytes(quantity, out _));
}
