using Strata.Core.Telemetry;

namespace Strata.Core.Tests.Telemetry;

/// <summary>Network addresses out of free text, wherever it leaves the process — and nothing that is not one.</summary>
public sealed class AddressRedactionTests
{
    [Theory]
    [InlineData("cluster dr (https://dr.example:6443/): cannot reach https://dr.example:6443/version", "cluster dr ([address]): cannot reach [address]")]
    [InlineData("POST https://hooks.slack.com/services/T0/B0/secret answered 500", "POST [address] answered 500")]
    [InlineData("see https://example.org/runbook.", "see [address].")]
    [InlineData("webhook \"https://hooks.example/x?token=abc\" refused", "webhook \"[address]\" refused")]
    [InlineData("<https://hooks.example/x>", "<[address]>")]
    [InlineData("[https://hooks.example/x]", "[[address]]")]
    [InlineData("GET https://[fd00::1]:6443/version: refused", "GET [address]: refused")]
    [InlineData("no address here", "no address here")]
    [InlineData(null, "")]
    public void Redact_Urls_EndAtTheUrl_NotAtTheNextSpace(string? text, string expected) =>
        Assert.Equal(expected, AddressRedaction.Redact(text));

    [Theory]
    [InlineData(
        "cannot reach https://aks-x.hcp.westeurope.azmk8s.io:443/: Name or service not known (aks-x.hcp.westeurope.azmk8s.io:443)",
        "cannot reach [address]: Name or service not known ([address])")]
    [InlineData("cannot reach https://10.0.0.5:443/: Connection refused (10.0.0.5:443)", "cannot reach [address]: Connection refused ([address])")]
    [InlineData("Connection refused ([fd00::1]:443)", "Connection refused ([address])")]
    [InlineData("no route to [fd00:0:0:0:0:0:0:1]", "no route to [address]")]
    [InlineData("dial tcp 10.0.0.5: i/o timeout", "dial tcp [address]: i/o timeout")]
    [InlineData("the server at 192.168.1.20 refused.", "the server at [address] refused.")]
    [InlineData("Connection refused (localhost:6443)", "Connection refused ([address])")]
    [InlineData("get dr.example:6443: connection refused", "get [address]: connection refused")]
    [InlineData("dr.example:6443/version answered 503", "[address] answered 503")]
    public void Redact_AddressesWithoutAScheme_AreRedactedToo(string text, string expected) =>
        Assert.Equal(expected, AddressRedaction.Redact(text));

    [Theory]
    [InlineData("the window opens at 05:00 and closes at 23:30:15")]
    [InlineData("deployments.apps \"web\" is forbidden: cannot list resource deployments.apps in API group apps")]
    [InlineData("velero v1.2.3 and kubernetes 1.30.2 on image postgres:16.4")]
    [InlineData("pod shop/postgres-0 (statefulsets.apps shop/postgres) not ready: 0/1")]
    [InlineData("spec.replicas: Invalid value: -1: must be >= 0")]
    [InlineData("took 1.5 s at 2026-11-30T05:00:00Z [12:30:45]")]
    [InlineData("OID 1.2.840.113549.1.1.11 and version 10.0.0.5.1")]
    [InlineData("already [address] and [redacted]")]
    public void Redact_TextThatIsNoAddress_StaysAsItIs(string text) =>
        Assert.Equal(text, AddressRedaction.Redact(text));
}
