using Strata.Sandbox.Controllers;

namespace Strata.Sandbox.Tests.Controllers;

public class QuantityTests
{
    [Theory]
    [InlineData("5Gi", 5L * 1024 * 1024 * 1024)]
    [InlineData("1.5Gi", 3L * 512 * 1024 * 1024)]
    [InlineData("500M", 500_000_000L)]
    [InlineData("1e3", 1000L)]
    [InlineData("100m", 1L)] // rounded up, as Quantity.Value() rounds
    [InlineData("1024", 1024L)]
    public void Bytes_OfAQuantity_IsItsValueRoundedUp(string quantity, long bytes) => Assert.Equal(bytes, Quantity.Bytes(quantity));

    [Theory]
    [InlineData("")]
    [InlineData("5GB")]
    [InlineData("Gi")]
    public void Bytes_OfWhatIsNotAQuantity_IsNull(string text) => Assert.Null(Quantity.Bytes(text));

    [Theory]
    [InlineData(5L * 1024 * 1024 * 1024, "5Gi")]
    [InlineData(1536L * 1024 * 1024, "1536Mi")]
    [InlineData(1536L, "1536")]
    [InlineData(1000L, "1000")]
    [InlineData(0L, "0")]
    public void Format_IsTheBinarySiFormOfApimachinery(long bytes, string quantity) => Assert.Equal(quantity, Quantity.Format(bytes));

    [Theory]
    [InlineData(1L)]
    [InlineData(4096L)]
    [InlineData(10L * 1024 * 1024 * 1024 + 512)]
    [InlineData(3L * 1024 * 1024 * 1024 * 1024)]
    public void Format_ThenBytes_RoundTrips(long bytes) => Assert.Equal(bytes, Quantity.Bytes(Quantity.Format(bytes)));
}
