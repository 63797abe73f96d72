using System.Text;
using Google.Protobuf;
using Strata.Adapters.Etcd;

namespace Strata.Adapters.Tests.Etcd;

public sealed class EtcdKeyRangeTests
{
    [Theory]
    [InlineData("/registry/pods/", "/registry/pods0")]
    [InlineData("a", "b")]
    public void PrefixEnd_TextPrefix_LastByteIncreased(string prefix, string end) =>
        Assert.Equal(Encoding.UTF8.GetBytes(end), EtcdKeyRange.PrefixEnd(Encoding.UTF8.GetBytes(prefix)));

    [Fact]
    public void PrefixEnd_TrailingFfBytes_DroppedAndTheByteBeforeIncreased() =>
        Assert.Equal(new byte[] { 0x61, 0x02 }, EtcdKeyRange.PrefixEnd([0x61, 0x01, 0xff, 0xff]));

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xff, 0xff })]
    public void PrefixEnd_EmptyOrAllFf_EveryKeyFromThere(byte[] prefix) =>
        Assert.Equal(new byte[] { 0 }, EtcdKeyRange.PrefixEnd(prefix));

    [Fact]
    public void After_Key_TheKeyWithAZeroByte() =>
        Assert.Equal(new byte[] { 0x61, 0x62, 0 }, EtcdKeyRange.After(ByteString.CopyFromUtf8("ab")).ToByteArray());
}
