using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Kubernetes;

/// <summary>kubectl's JSONPath, the subset assertions use: what it selects, how it prints, and where it says a path is wrong.</summary>
public sealed class JsonPathTests
{
    private static readonly JsonNode Deployment = JsonNode.Parse("""
        {
          "metadata": { "name": "web", "labels": { "app.kubernetes.io/name": "web", "tier": "frontend" } },
          "spec": { "replicas": 3, "paused": false, "template": { "spec": { "containers": [ { "name": "web", "image": "web:1.0" }, { "name": "proxy", "image": "envoy:1.30" } ] } } },
          "status": {
            "readyReplicas": 3,
            "conditions": [
              { "type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable" },
              { "type": "Available", "status": "True", "reason": "MinimumReplicasAvailable" }
            ]
          }
        }
        """)!;

    [Theory]
    [InlineData("{.status.readyReplicas}", "3")]
    [InlineData(".status.readyReplicas", "3")]
    [InlineData("{$.metadata.name}", "web")]
    [InlineData("{.spec.paused}", "false")]
    [InlineData("{.status.conditions[?(@.type==\"Available\")].status}", "True")]
    [InlineData("{.status.conditions[?(@.type=='Available')].reason}", "MinimumReplicasAvailable")]
    [InlineData("{.status.conditions[?(@.type!=\"Available\")].type}", "Progressing")]
    [InlineData("{.spec.template.spec.containers[*].image}", "web:1.0 envoy:1.30")]
    [InlineData("{.spec.template.spec.containers[1].name}", "proxy")]
    [InlineData("{.spec.template.spec.containers[-1].name}", "proxy")]
    [InlineData("{.metadata.labels.app\\.kubernetes\\.io/name}", "web")]
    [InlineData("{.metadata.labels['app.kubernetes.io/name']}", "web")]
    [InlineData("{.metadata.labels.*}", "web frontend")]
    [InlineData("{.spec.template.spec.containers[?(@.name)].name}", "web proxy")]
    [InlineData("{.status.conditions[0]}", """{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}""")]
    [InlineData("{ .status.readyReplicas }", "3")]
    public void Evaluate_PrintsAsKubectlDoes(string expression, string expected)
    {
        Assert.Equal(expected, JsonPath.Parse(expression).Evaluate(Deployment));
    }

    [Theory]
    [InlineData("{.status.availableReplicas}")]
    [InlineData("{.spec.template.spec.containers[5].name}")]
    [InlineData("{.status.conditions[?(@.type==\"Ready\")].status}")]
    public void Evaluate_NothingSelected_IsNull(string expression)
    {
        Assert.Null(JsonPath.Parse(expression).Evaluate(Deployment));
    }

    [Fact]
    public void Filter_ComparesNumbersAsNumbers()
    {
        var pods = JsonNode.Parse("""{"items":[{"n":"a","restarts":2},{"n":"b","restarts":10},{"n":"c","restarts":"10"}]}""");

        Assert.Equal("b", JsonPath.Parse("{.items[?(@.restarts>=3)].n}").Evaluate(pods));
        Assert.Equal("c", JsonPath.Parse("{.items[?(@.restarts=='10')].n}").Evaluate(pods));
    }

    [Theory]
    [InlineData("", 0, "the expression is empty")]
    [InlineData("{.status.readyReplicas", 22, "expected '}' to close the '{' at character 1")]
    [InlineData("{.status.readyReplicas} x", 24, "unexpected text after '}'")]
    [InlineData("{.status..readyReplicas}", 8, "recursive descent ('..') is not supported")]
    [InlineData("{.status.conditions[?(@.type==\"Available\").status}", 42, "expected ']' to close the '[' at character 20")]
    [InlineData("{.status.conditions[?(@.type==\"Available\"]}", 20, "the filter's '(' is not closed by ')'")]
    [InlineData("{.status.conditions[?(@.type==\"Available\")].status", 50, "expected '}'")]
    [InlineData("{.status.conditions[?(@.type=Available)]}", 28, "expected a comparison (==, !=, <, <=, >, >=) or ')', found '='")]
    [InlineData("{.status.conditions[?(@.type==Available)]}", 30, "'Available' is not a value: quote strings")]
    [InlineData("{.status.conditions[?(.type==\"A\")]}", 22, "a filter's path starts with '@'")]
    [InlineData("{.status.conditions[0}", 21, "expected ']' to close the '[' at character 20")]
    [InlineData("{.status.conditions[0:2]}", 21, "slices and unions")]
    [InlineData("{.status.conditions[x]}", 20, "expected an index, '*', a quoted field name or a filter")]
    [InlineData("{.status.}", 9, "expected a field name after '.'")]
    [InlineData("{status.readyReplicas}", 1, "unexpected 's'")]
    [InlineData("{.metadata.labels['app}", 18, "the string opened with ' is not closed")]
    [InlineData("{.a\\b}", 3, "'\\' escapes a '.'")]
    public void Parse_Malformed_SaysWhereAndWhat(string expression, int offset, string message)
    {
        Assert.False(JsonPath.TryParse(expression, out _, out var error));
        Assert.Equal(offset, error!.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
