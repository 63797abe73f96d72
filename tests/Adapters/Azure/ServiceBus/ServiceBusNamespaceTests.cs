using Strata.Adapters.Azure.ServiceBus;

namespace Strata.Adapters.Tests.Azure.ServiceBus;

public class ServiceBusNamespaceTests
{
    [Theory]
    [InlineData("strata-prod", "strata-prod.servicebus.windows.net")]
    [InlineData("strata-prod.servicebus.windows.net", "strata-prod.servicebus.windows.net")]
    [InlineData("Strata-Prod.ServiceBus.Windows.Net", "strata-prod.servicebus.windows.net")]
    [InlineData("strata-gov.servicebus.usgovcloudapi.net", "strata-gov.servicebus.usgovcloudapi.net")]
    [InlineData("https://strata-prod.servicebus.windows.net", "strata-prod.servicebus.windows.net")]
    [InlineData(" https://strata-prod.servicebus.windows.net/ ", "strata-prod.servicebus.windows.net")]
    [InlineData("sb://strata-prod.servicebus.windows.net/", "strata-prod.servicebus.windows.net")]
    public void Parse_NamesHostsAndUrls_GiveTheFullyQualifiedNamespace(string text, string expected) =>
        Assert.Equal(expected, ServiceBusNamespace.Parse(text, "--service-bus"));

    [Theory]
    [InlineData("sb", "is not a Service Bus namespace")]
    [InlineData("1strata", "is not a Service Bus namespace")]
    [InlineData("strata_prod", "is not a Service Bus namespace")]
    [InlineData("http://strata-prod.servicebus.windows.net", "is not https://NAME.servicebus.windows.net")]
    [InlineData("https://strata-prod.servicebus.windows.net/strata-backups", "is not https://NAME.servicebus.windows.net")]
    [InlineData("Endpoint=sb://strata-prod.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0", "a connection string is not accepted")]
    public void Parse_WhatIsNotANamespace_IsRefusedWithoutEchoingAKey(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ServiceBusNamespace.Parse(text, "--service-bus"));

        Assert.StartsWith("--service-bus: ", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
    }
}
