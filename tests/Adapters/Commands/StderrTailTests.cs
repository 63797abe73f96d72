using System.Text;
using Strata.Adapters.Commands;

namespace Strata.Adapters.Tests.Commands;

public sealed class StderrTailTests
{
    [Theory]
    [InlineData(new[] { "abc", "def" }, 4, "cdef")]
    [InlineData(new[] { "abcdefgh" }, 3, "fgh")]
    [InlineData(new[] { "ab", "cdefgh", "i" }, 5, "efghi")]
    [InlineData(new[] { "ab" }, 5, "ab")]
    [InlineData(new[] { "ab" }, 0, "")]
    public void Add_MoreThanTheLimit_KeepsTheLastBytes(string[] writes, int limit, string expected)
    {
        var tail = new StderrTail(limit);

        foreach (var write in writes)
        {
            tail.Add(Encoding.UTF8.GetBytes(write));
        }

        Assert.Equal(expected, tail.ToString());
    }

    [Fact]
    public void ToString_CutInsideACharacter_StartsAtTheNextWholeOne()
    {
        var tail = new StderrTail(4);

        tail.Add(Encoding.UTF8.GetBytes("xé€")); // é is 2 bytes, € 3: the last 4 bytes hold half of é

        Assert.Equal("€", tail.ToString());
    }
}
