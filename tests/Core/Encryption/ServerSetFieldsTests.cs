using System.Text;
using System.Text.Json.Nodes;
using Strata.Core.Artifacts;
using Strata.Core.Encryption;
using Strata.Core.Restore;

namespace Strata.Core.Tests.Encryption;

public class ServerSetFieldsTests
{
    [Theory]
    [InlineData(
        """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a","uid":"u","resourceVersion":"1"},"status":{"x":1}}""",
        """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"}}""")]
    [InlineData("""{"metadata":{"uid":"u","resourceVersion":"1"}}""", """{"metadata":{}}""")]
    [InlineData(
        """{ "status" : {} , "metadata" : { "name" : "a" , "uid" : "u" } , "spec" : [1, {"status": 2}] }""",
        """{ "metadata" : { "name" : "a" } , "spec" : [1, {"status": 2}] }""")]
    [InlineData("""{"metadata":{"uid":"u","name":"n","creationTimestamp":null,"generation":3}, "st\u0061tus": true}""", """{"metadata":{"name":"n"}}""")]
    [InlineData("""{"spec":{"metadata":{"uid":"nested, kept"},"status":"nested, kept"}}""", """{"spec":{"metadata":{"uid":"nested, kept"},"status":"nested, kept"}}""")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("{}", "{}")]
    [InlineData("""{"status":1}""", "{}")]
    public void Strip_Document_RemovesServerSetMembersAndOneCommaEach_KeepsEveryOtherByte(string document, string expected)
    {
        var stripped = ServerSetFields.Strip(Encoding.UTF8.GetBytes(document), "resources/core/v1/secrets/namespaces/shop/a.json");

        Assert.Equal(expected, Encoding.UTF8.GetString(stripped));
    }

    [Fact]
    public void Strip_EveryServerSetField_LeavesNoneAndTheRestAsWritten()
    {
        var metadata = new JsonObject { ["name"] = "db", ["namespace"] = "shop", ["labels"] = new JsonObject { ["app"] = "shop" } };
        foreach (var (field, _) in ServerSetFields.Metadata)
        {
            metadata[field] = field == "ownerReferences" ? new JsonArray(new JsonObject { ["uid"] = "old" }) : "x";
        }

        var document = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = "v" }, ["status"] = new JsonObject() };

        var stripped = JsonNode.Parse(ServerSetFields.Strip(Encoding.UTF8.GetBytes(document.ToJsonString()), "x.json"))!.AsObject();

        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"db","namespace":"shop","labels":{"app":"shop"}},"data":{"k":"v"}}""", stripped.ToJsonString());
    }

    [Fact]
    public void Metadata_HoldsWhatARestoreRemoves_AndOwnerReferences()
    {
        Assert.Equal([.. RestoreSanitizer.ServerSetMetadata.Select(f => f.Field), "ownerReferences"], ServerSetFields.Metadata.Select(f => f.Field));
    }

    [Theory]
    [InlineData("{\"metadata\":")]
    [InlineData("{} trailing")]
    [InlineData("not json")]
    public void Strip_NotJson_IsRefusedNamingTheEntry(string document)
    {
        var error = Assert.Throws<ArtifactRejectedException>(() => ServerSetFields.Strip(Encoding.UTF8.GetBytes(document), "resources/core/v1/configmaps/namespaces/shop/x.json"));

        Assert.Contains("resources/core/v1/configmaps/namespaces/shop/x.json", error.Message);
        Assert.Contains("not a JSON document", error.Message);
    }

    [Theory]
    [InlineData("{\"\\ud800\":1}")]
    [InlineData("{\"metadata\":{\"name\":\"a\",\"\\udc00x\":1}}")]
    [InlineData("{\"data\":{\"k\":\"\\ud800\"}}")]
    [InlineData("[\"\\ud800\\u0041\"]")]
    public void Strip_LoneSurrogateEscape_IsRefusedNamingTheEntry(string document)
    {
        // The reader takes the escape as it comes; only decoding it fails (InvalidOperationException, not the refusal).
        var error = Assert.Throws<ArtifactRejectedException>(() => ServerSetFields.Strip(Encoding.UTF8.GetBytes(document), "resources/core/v1/configmaps/namespaces/shop/x.json"));

        Assert.Contains("resources/core/v1/configmaps/namespaces/shop/x.json", error.Message);
        Assert.Contains("not Unicode", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D })] // {"<0xFF>":1}
    [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D })] // {"a":"<a surrogate, UTF-8 encoded>"}
    public void Strip_NotUtf8_IsRefusedNamingTheEntry(byte[] document)
    {
        var error = Assert.Throws<ArtifactRejectedException>(() => ServerSetFields.Strip(document, "resources/core/v1/configmaps/namespaces/shop/x.json"));

        Assert.Contains("resources/core/v1/configmaps/namespaces/shop/x.json", error.Message);
    }

    [Theory]
    [InlineData(ServerSetFields.MaxDepth, true)]
    [InlineData(ServerSetFields.MaxDepth + 1, false)]
    [InlineData(300, false)]
    public void Strip_Nesting_RefusedDeeperThanMaxDepth(int depth, bool accepted)
    {
        var document = Encoding.UTF8.GetBytes("{\"spec\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}");

        var strip = () => ServerSetFields.Strip(document, "resources/core/v1/configmaps/namespaces/shop/deep.json");

        if (accepted)
        {
            Assert.Equal(document, strip());
        }
        else
        {
            Assert.Contains("resources/core/v1/configmaps/namespaces/shop/deep.json", Assert.Throws<ArtifactRejectedException>(strip).Message);
        }
    }
}
