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
}
