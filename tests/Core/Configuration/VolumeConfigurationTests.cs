using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.Volumes;

namespace Strata.Core.Tests.Configuration;

/// <summary>A policy's <c>volumes:</c> in strata.yaml: the shorthand, the map with every field and its defaults, mistakes located.</summary>
public sealed class VolumeConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod
            context: prod-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            volumes:
              mode: snapshot
              selector: "tier in (data)"
              classes:
                - storageClass: managed-csi
                  volumeSnapshotClassName: csi-azuredisk-vsc
                - driver: ebs.csi.aws.com
                  volumeSnapshotClassName: ebs-vsc
              timeout: 15m
              concurrency: 32
              pollInterval: 2s
              hooks:
                - name: flush-web
                  namespace: shop
                  selector: app=web
                  container: web
                  pre:
                    - command: ["/bin/sh", "-c", "sync"]
                      timeout: 45s
                      onError: Fail
                  post:
                    - command: ["/bin/true"]
                      onError: Continue
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    private static string Policy(string volumes) => $"""
        clusters:
          - name: prod
            context: prod-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
        {volumes}
        """;

    [Fact]
    public void Parse_VolumesMap_ReadsEveryField()
    {
        var volumes = Parse(Valid).FindPolicy("nightly")!.Volumes;

        Assert.Equal((VolumeSnapshotMode.Snapshot, "tier in (data)", TimeSpan.FromMinutes(15), 32, TimeSpan.FromSeconds(2)),
            (volumes.Mode, volumes.Selector.ToString(), volumes.Timeout, volumes.Concurrency, volumes.PollInterval));
        Assert.Equal(2, volumes.Classes.Count);
        Assert.Equal(("managed-csi", null, "csi-azuredisk-vsc", "policies[0].volumes.classes[0]"),
            (volumes.Classes[0].StorageClass, volumes.Classes[0].Driver, volumes.Classes[0].VolumeSnapshotClassName, volumes.Classes[0].Field));
        Assert.Equal((null, "ebs.csi.aws.com", "ebs-vsc"), (volumes.Classes[1].StorageClass, volumes.Classes[1].Driver, volumes.Classes[1].VolumeSnapshotClassName));
        var hook = Assert.Single(volumes.Hooks);
        Assert.Equal(("flush-web", "shop", "app=web", "web"), (hook.Name, hook.Namespace, hook.Selector.ToString(), hook.Container));
        var pre = Assert.Single(hook.Pre);
        Assert.Equal(["/bin/sh", "-c", "sync"], pre.Command);
        Assert.Equal((TimeSpan.FromSeconds(45), HookErrorMode.Fail), (pre.EffectiveTimeout, pre.OnError));
        var post = Assert.Single(hook.Post);
        Assert.Equal((HookCommand.DefaultTimeout, HookErrorMode.Continue), (post.EffectiveTimeout, post.OnError));
    }

    [Theory]
    [InlineData("    volumes: snapshot", VolumeSnapshotMode.Snapshot)]
    [InlineData("    volumes: skip", VolumeSnapshotMode.Skip)]
    [InlineData("", VolumeSnapshotMode.Skip)]
    [InlineData("    volumes:\n      mode: snapshot", VolumeSnapshotMode.Snapshot)]
    public void Parse_Shorthand_OrAbsent_HasTheDefaults(string volumes, VolumeSnapshotMode mode)
    {
        var settings = Parse(Policy(volumes)).FindPolicy("nightly")!.Volumes;

        Assert.Equal(mode, settings.Mode);
        Assert.Equal((VolumeSettings.DefaultTimeout, VolumeSettings.DefaultConcurrency, VolumeSettings.DefaultPollInterval, true),
            (settings.Timeout, settings.Concurrency, settings.PollInterval, settings.Selector.IsEmpty));
        Assert.Empty(settings.Classes);
        Assert.Empty(settings.Hooks);
    }

    [Theory]
    [InlineData("mode: snapshot", "mode: always", "policies[0].volumes.mode: 'always' is not 'snapshot'")]
    [InlineData("mode: snapshot", "modus: snapshot", "policies[0].volumes.modus: unknown field 'modus'")]
    [InlineData("tier in (data)", "tier in (data", "policies[0].volumes.selector:")]
    [InlineData("timeout: 15m", "timeout: 10 minutes", "policies[0].volumes.timeout: '10 minutes' is not a duration")]
    [InlineData("concurrency: 32", "concurrency: 0", "policies[0].volumes.concurrency: '0' is not a whole number from 1 to 256")]
    [InlineData("concurrency: 32", "concurrency: 1000", "policies[0].volumes.concurrency: '1000' is not a whole number from 1 to 256")]
    [InlineData("- storageClass: managed-csi\n", "- storageClass: managed-csi\n          driver: disk.csi.azure.com\n", "policies[0].volumes.classes[0]: give one of 'storageClass' (the claims' StorageClass) or 'driver' (their CSI driver), not both")]
    [InlineData("- driver: ebs.csi.aws.com\n", "-\n", "policies[0].volumes.classes[1]: give one of 'storageClass' (the claims' StorageClass) or 'driver' (their CSI driver), not neither")]
    [InlineData("volumeSnapshotClassName: ebs-vsc", "volumeSnapshotClassName: EBS_vsc", "policies[0].volumes.classes[1].volumeSnapshotClassName: 'EBS_vsc' is not a Kubernetes object name")]
    [InlineData("volumeSnapshotClassName: ebs-vsc", "snapshotClass: ebs-vsc", "policies[0].volumes.classes[1].snapshotClass: unknown field 'snapshotClass'")]
    [InlineData("selector: app=web", "selector: app==web,", "policies[0].volumes.hooks[0].selector:")]
    [InlineData("timeout: 45s", "timeout: 45 s", "policies[0].volumes.hooks[0].pre[0].timeout: '45 s' is not a duration")]
    [InlineData("onError: Fail", "onError: Abort", "policies[0].volumes.hooks[0].pre[0].onError: 'Abort' is not Fail or Continue")]
    [InlineData("onError: Continue", "onError: continue", "policies[0].volumes.hooks[0].post[0].onError: 'continue' is not Fail or Continue")]
    [InlineData("command: [\"/bin/true\"]", "command: []", "policies[0].volumes.hooks[0].post[0].command: must not be empty")]
    [InlineData("command: [\"/bin/true\"]", "command: [\"\"]", "policies[0].volumes.hooks[0].post[0].command: the program (the first element) is empty")]
    [InlineData("- command: [\"/bin/true\"]", "- timeout: 5s", "policies[0].volumes.hooks[0].post[0].command: 'command' is required")]
    [InlineData("name: flush-web", "name: Flush Web", "policies[0].volumes.hooks[0].name: 'Flush Web' must be")]
    [InlineData("    volumes:", "    volume:", "policies[0].volume: unknown field 'volume'")]
    public void Parse_Invalid_NamesTheFieldAndWhy(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    volumes: always", "policies[0].volumes: 'always' is not 'snapshot'")]
    [InlineData("    volumes:\n      selector: app=db", "policies[0].volumes.mode: 'mode' is required")]
    [InlineData("    volumes:\n      mode: snapshot\n      hooks:\n        - name: h\n          selector: app=db", "policies[0].volumes.hooks[0]: give 'pre' or 'post' commands")]
    public void Parse_InvalidShapes_NameTheFieldAndWhy(string volumes, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Policy(volumes)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_LocatesTheLine()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Valid.Replace("onError: Fail", "onError: Abort", StringComparison.Ordinal)));

        Assert.Contains("strata.yaml:27:", error.Message, StringComparison.Ordinal);
    }
}
