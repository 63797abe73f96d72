using Strata.Adapters.Hosting;
using Strata.Core.Configuration;

namespace Strata.Core.Tests.Configuration;

/// <summary><c>verification.drill</c> in strata.yaml: every field read, defaults, and bad input located to the character.</summary>
public sealed class DrillConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod
            context: prod-admin
          - name: dr
            context: dr-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            timeZone: Europe/Amsterdam
            verification:
              drill:
                schedule: "0 4 * * 0"
                target: dr
                mode: scratch
                prefix: rehearse-{id}
                readiness: false
                timeout: 15m
                rto: 5m
                keepOnFailure: true
                assertions:
                  - { resource: deployments.apps, namespace: shop, name: web, condition: Available=True }
                  - kind: StatefulSet
                    namespace: shop
                    name: db
                    jsonPath: '{.status.readyReplicas}'
                    equals: '3'
                  - { resource: configmap, namespace: shop, name: web-config, exists: true }
          - name: hourly
            clusters: [prod]
            schedule: "0 * * * *"
            verification: { drill: {} }
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    [Fact]
    public void Parse_Drill_ReadsEveryField()
    {
        var drill = Parse(Valid).FindPolicy("nightly")!.Verification.Drill!;

        Assert.Equal("0 4 * * 0", drill.Schedule!.Text);
        Assert.Equal("Europe/Amsterdam", drill.TimeZone.Id); // the policy's
        Assert.Equal(("dr", DrillMode.Scratch, "rehearse-{id}"), (drill.Target, drill.Mode, drill.Prefix));
        Assert.False(drill.Readiness);
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5)), (drill.Timeout, drill.RecoveryTimeObjective));
        Assert.True(drill.KeepOnFailure);
        Assert.Equal(3, drill.Assertions.Count);
        Assert.Equal(("deployments.apps", "shop", "web", "Available=True"), (drill.Assertions[0].Resource, drill.Assertions[0].Namespace, drill.Assertions[0].Name, drill.Assertions[0].Condition!.ToString()));
        Assert.Equal(("StatefulSet", "{.status.readyReplicas}", "3"), (drill.Assertions[1].Resource, drill.Assertions[1].JsonPath!.Text, drill.Assertions[1].Expected));
        Assert.Equal("configmap shop/web-config: exists", drill.Assertions[2].Describe("shop"));
    }

    [Fact]
    public void Parse_EmptyDrill_TakesTheDefaults_AndNoDrillIsNull()
    {
        var configuration = Parse(Valid);
        var drill = configuration.FindPolicy("hourly")!.Verification.Drill!;

        Assert.Null(drill.Schedule);
        Assert.Null(drill.Target);
        Assert.Equal((DrillMode.Scratch, DrillSettings.DefaultPrefix, true, false), (drill.Mode, drill.Prefix, drill.Readiness, drill.KeepOnFailure));
        Assert.Equal(DrillSettings.DefaultTimeout, drill.Timeout);
        Assert.Null(drill.RecoveryTimeObjective);
        Assert.Null(Parse(Valid.Replace("verification: { drill: {} }", "verification: { driftThreshold: 40% }", StringComparison.Ordinal)).FindPolicy("hourly")!.Verification.Drill);
    }

    [Theory]
    [InlineData("timeout: 15m", "timeout: 999999w", "strata.yaml:18:18: policies[0].verification.drill.timeout: '999999w' is longer than a drill may take (7d at most)")]
    [InlineData("rto: 5m", "rto: 8d", "strata.yaml:19:14: policies[0].verification.drill.rto: '8d' is longer than a drill may take (7d at most)")]
    [InlineData("target: dr", "target: staging", "strata.yaml:14:17: policies[0].verification.drill.target: 'staging' is not a cluster in strata.yaml (clusters: prod, dr)")]
    [InlineData("mode: scratch", "mode: dryrun", "strata.yaml:15:15: policies[0].verification.drill.mode: unknown mode 'dryrun': scratch (restore into scratch namespaces and wait for the assertions), dryRun (server-side validation, nothing persisted) or etcdRestore (rebuild the etcd snapshot on a throwaway member and count its keys); did you mean 'dryRun'?")]
    [InlineData("mode: scratch", "mode: canary", "strata.yaml:15:15: policies[0].verification.drill.mode: unknown mode 'canary'")]
    [InlineData("jsonPath: '{.status.readyReplicas}'", "jsonPath: '{.status.readyReplicas'", "strata.yaml:26:46: policies[0].verification.drill.assertions[1].jsonPath: malformed JSONPath '{.status.readyReplicas' at character 23: expected '}' to close the '{' at character 1")]
    [InlineData("jsonPath: '{.status.readyReplicas}'", "jsonPath: '{.status..readyReplicas}'", "strata.yaml:26:32: policies[0].verification.drill.assertions[1].jsonPath: malformed JSONPath '{.status..readyReplicas}' at character 9: recursive descent ('..') is not supported")]
    [InlineData("jsonPath: '{.status.readyReplicas}'", "jsonPath: {.status.readyReplicas}", "strata.yaml:26:23: policies[0].verification.drill.assertions[1].jsonPath: expected a single value")]
    [InlineData("jsonPath: '{.status.readyReplicas}'", "jsonPath: \"{.status.conditions[?(@.type==Ready)].status}\"", "strata.yaml:26:54: policies[0].verification.drill.assertions[1].jsonPath: malformed JSONPath '{.status.conditions[?(@.type==Ready)].status}' at character 31: 'Ready' is not a value")]
    [InlineData("condition: Available=True", "condition: Available", "strata.yaml:22:82: policies[0].verification.drill.assertions[0].condition: 'Available' is not Type=Status")]
    [InlineData("condition: Available=True", "condition: Available=Yes", "'Yes' in 'Available=Yes' is not a condition status (True, False or Unknown)")]
    [InlineData("condition: Available=True", "condition: Available=True, exists: true", "policies[0].verification.drill.assertions[0]: one check per assertion; this one has exists and condition")]
    [InlineData(", condition: Available=True", "", "policies[0].verification.drill.assertions[0]: say what to assert")]
    [InlineData("{ resource: deployments.apps,", "{ resource: deployments.apps, kind: Deployment,", "policies[0].verification.drill.assertions[0]: give 'resource' or 'kind', not both")]
    [InlineData("exists: true", "exists: false", "policies[0].verification.drill.assertions[2].exists: only 'exists: true' is read")]
    [InlineData("\n            equals: '3'", "", "policies[0].verification.drill.assertions[1].equals: 'jsonPath' needs 'equals'")]
    [InlineData("prefix: rehearse-{id}", "prefix: Rehearse_{id}", "strata.yaml:16:17: policies[0].verification.drill.prefix: 'Rehearse_{id}' must be 1-40 lowercase letters")]
    [InlineData("timeout: 15m", "timeout: forever", "policies[0].verification.drill.timeout: 'forever' is not a duration")]
    [InlineData("rto: 5m", "rtoo: 5m", "policies[0].verification.drill.rtoo: unknown field 'rtoo'")]
    [InlineData("schedule: \"0 4 * * 0\"", "schedule: \"0 4 * * 8\"", "policies[0].verification.drill.schedule: invalid cron expression")]
    [InlineData("mode: scratch", "mode: dryRun", "strata.yaml:22:11: policies[0].verification.drill.assertions: assertions apply to scratch drills")]
    public void Parse_Invalid_NamesFileLineColumnAndField(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
