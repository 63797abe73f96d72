using System.Text.Json.Nodes;
using Strata.Core.Restore;

namespace Strata.Core.Tests.Restore;

public class NamespaceMappingTests
{
    private static NamespaceMapping Parse(params string[] pairs)
    {
        Assert.True(NamespaceMapping.TryParse(pairs, out var mapping, out var error), error);
        return mapping;
    }

    [Theory]
    [InlineData("shop", "'shop' is not source:target")]
    [InlineData("shop:Shop", "'Shop' in 'shop:Shop' is not a valid namespace name")]
    [InlineData("shop:a,shop:b", "'shop' is mapped twice")]
    [InlineData("shop:x,auth:x", "'shop' and 'auth' are both mapped to 'x'")]
    public void TryParse_Malformed_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(NamespaceMapping.TryParse([text], out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_RoleBindingSubjects_OnlyThoseInsideTheMappedSet()
    {
        var binding = JsonNode.Parse("""
            {"metadata":{"name":"b","namespace":"shop"},
             "subjects":[{"kind":"ServiceAccount","name":"api","namespace":"shop"},{"kind":"ServiceAccount","name":"x","namespace":"other"},{"kind":"User","name":"jane"}]}
            """)!.AsObject();

        Parse("shop:shop-dr").Rewrite("rolebindings.rbac.authorization.k8s.io", binding);

        Assert.Equal("shop-dr", binding["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("shop-dr", binding["subjects"]![0]!["namespace"]!.GetValue<string>());
        Assert.Equal("other", binding["subjects"]![1]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public void Rewrite_SelectorsAffinityServicesAndExternalNames()
    {
        var mapping = Parse("shop:shop-dr", "auth:auth-dr");
        var policy = JsonNode.Parse("""
            {"metadata":{"name":"p","namespace":"shop"},"spec":{"ingress":[{"from":[
              {"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"auth"}}},
              {"namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"In","values":["auth","other"]}]}}]}]}}
            """)!.AsObject();
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"d","namespace":"shop"},"spec":{"template":{"spec":{"affinity":{"podAffinity":{
              "requiredDuringSchedulingIgnoredDuringExecution":[{"topologyKey":"zone","namespaces":["auth","other"]}]}}}}}}
            """)!.AsObject();
        var webhook = JsonNode.Parse("""{"metadata":{"name":"w"},"webhooks":[{"clientConfig":{"service":{"name":"hook","namespace":"shop"}}}]}""")!.AsObject();
        var external = JsonNode.Parse("""{"metadata":{"name":"db","namespace":"shop"},"spec":{"type":"ExternalName","externalName":"pg.auth.svc.cluster.local"}}""")!.AsObject();
        var ns = JsonNode.Parse("""{"metadata":{"name":"shop","labels":{"kubernetes.io/metadata.name":"shop"}}}""")!.AsObject();

        mapping.Rewrite("networkpolicies.networking.k8s.io", policy);
        mapping.Rewrite("deployments.apps", deployment);
        mapping.Rewrite("validatingwebhookconfigurations.admissionregistration.k8s.io", webhook);
        mapping.Rewrite("services", external);
        mapping.Rewrite("namespaces", ns);

        var from = policy["spec"]!["ingress"]![0]!["from"]!;
        Assert.Equal("auth-dr", from[0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal(["auth-dr", "other"], from[1]!["namespaceSelector"]!["matchExpressions"]![0]!["values"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["auth-dr", "other"], deployment["spec"]!["template"]!["spec"]!["affinity"]!["podAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]![0]!["namespaces"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("shop-dr", webhook["webhooks"]![0]!["clientConfig"]!["service"]!["namespace"]!.GetValue<string>());
        Assert.Equal("pg.auth-dr.svc.cluster.local", external["spec"]!["externalName"]!.GetValue<string>());
        Assert.Equal("shop-dr", ns["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("shop-dr", ns["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
    }
}
