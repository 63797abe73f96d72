using Strata.Adapters.Hosting;
using Strata.Core.Configuration;
using Strata.Core.Etcd;

namespace Strata.Core.Tests.Configuration;

/// <summary>A cluster's and a policy's <c>etcd:</c> in strata.yaml, and the <c>etcdRestore</c> drill: every field, the defaults, mistakes located.</summary>
public sealed class EtcdConfigurationTests
{
    private const string Valid = """
        clusters:
          - name: prod
            context: prod-admin
            etcd:
              endpoints: [https://10.0.0.11:2379, "https://10.0.0.12:2379/", https://cp-3.internal:2379]
              ca: { file: /etc/strata/etcd/ca.crt }
              cert: { env: ETCD_CERT }
              key: { keyVault: { vault: ops, secret: etcd-client-key } }
              tlsServerName: etcd.internal
              dialTimeout: 3s
          - name: aks
            context: aks-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
            etcd:
              snapshot: true
              timeout: 20m
              controlPlaneFiles:
                image: busybox:1.36
                namespace: strata-system
                root: /etc/kubernetes/
                paths: [pki, manifests, pki/etcd/]
                kubeconfigs: true
                allowUnencryptedKeys: true
                nodeSelector: "node-role.kubernetes.io/master"
                timeout: 2m
            verification:
              drill:
                schedule: "0 4 * * 0"
                mode: etcdRestore
                timeout: 15m
                rto: 5m
        """;

    private static StrataConfiguration Parse(string yaml) => ConfigurationLoader.Parse(yaml, "strata.yaml", SystemTimeZones.Instance);

    private static string Cluster(string etcd) => $"""
        clusters:
          - name: prod
            context: prod-admin
        {etcd}
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
        """;

    private static string Policy(string etcd, string drill = "") => $"""
        clusters:
          - name: prod
            context: prod-admin
        policies:
          - name: nightly
            clusters: [prod]
            schedule: "30 2 * * *"
        {etcd}
        {drill}
        """;

    [Fact]
    public void Parse_ClusterEtcd_ReadsEveryField()
    {
        var configuration = Parse(Valid);
        var etcd = configuration.FindCluster("prod")!.Etcd!;

        Assert.Equal(["https://10.0.0.11:2379/", "https://10.0.0.12:2379/", "https://cp-3.internal:2379/"], etcd.Endpoints.Select(e => e.AbsoluteUri));
        Assert.Equal(new SecretReference(SecretSource.File, "/etc/strata/etcd/ca.crt"), etcd.CertificateAuthority);
        Assert.Equal(new SecretReference(SecretSource.Environment, "ETCD_CERT"), etcd.ClientCertificate);
        Assert.Equal(new SecretReference(SecretSource.KeyVault, "etcd-client-key", "ops"), etcd.ClientKey);
        Assert.Equal(("etcd.internal", TimeSpan.FromSeconds(3), 5), (etcd.TlsServerName, etcd.DialTimeout, etcd.Line));
        Assert.Null(configuration.FindCluster("aks")!.Etcd);
    }

    [Fact]
    public void Parse_PolicyEtcd_ReadsEveryField()
    {
        var policy = Parse(Valid).FindPolicy("nightly")!;
        var etcd = policy.Etcd!;

        Assert.Equal((true, TimeSpan.FromMinutes(20)), (etcd.Snapshot, etcd.Timeout));
        var files = etcd.ControlPlaneFiles!;
        Assert.Equal(("busybox:1.36", "strata-system", "/etc/kubernetes"), (files.Image, files.Namespace, files.Root));
        Assert.Equal(["pki", "manifests", "pki/etcd"], files.Paths);
        Assert.Equal((true, true, "node-role.kubernetes.io/master", TimeSpan.FromMinutes(2)), (files.Kubeconfigs, files.AllowUnencryptedKeys, files.NodeSelector.ToString(), files.Timeout));
        Assert.Equal(DrillMode.EtcdRestore, policy.Verification.Drill!.Mode);
    }

    [Fact]
    public void Parse_Defaults()
    {
        var configuration = Parse(Policy("    etcd: { controlPlaneFiles: { image: busybox:1.36 } }").Replace("context: prod-admin", "context: prod-admin\n    etcd: { endpoints: [http://127.0.0.1:2379] }", StringComparison.Ordinal));
        var access = configuration.FindCluster("prod")!.Etcd!;
        var etcd = configuration.FindPolicy("nightly")!.Etcd!;

        Assert.Equal((null, null, null, null, TimeSpan.FromSeconds(5)), (access.CertificateAuthority, access.ClientCertificate, access.ClientKey, access.TlsServerName, access.DialTimeout));
        Assert.Equal((true, EtcdSettings.DefaultTimeout), (etcd.Snapshot, etcd.Timeout));
        var files = etcd.ControlPlaneFiles!;
        Assert.Equal(("kube-system", ControlPlaneFilesSettings.DefaultRoot, false, false), (files.Namespace, files.Root, files.Kubeconfigs, files.AllowUnencryptedKeys));
        Assert.Equal(ControlPlaneFilesSettings.DefaultPaths, files.Paths);
        Assert.Equal((ControlPlaneFilesSettings.ControlPlaneLabel, ControlPlaneFilesSettings.DefaultTimeout), (files.NodeSelector.ToString(), files.Timeout));
        Assert.Null(Parse(Policy("")).FindPolicy("nightly")!.Etcd);
        Assert.Equal((true, null), (Parse(Policy("    etcd: {}")).FindPolicy("nightly")!.Etcd!.Snapshot, Parse(Policy("    etcd: {}")).FindPolicy("nightly")!.Etcd!.ControlPlaneFiles));
    }

    [Theory]
    [InlineData("https://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "clusters[0].etcd.endpoints[0]: '10.0.0.11:2379' is not an absolute http(s) URL")]
    [InlineData("https://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "https://10.0.0.11:2379/v3, \"https://10.0.0.12:2379/\"", "clusters[0].etcd.endpoints[0]: 'https://10.0.0.11:2379/v3' has a path, query or fragment")]
    [InlineData("https://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "https://10.0.0.11:2379?x=1, \"https://10.0.0.12:2379/\"", "clusters[0].etcd.endpoints[0]: 'https://10.0.0.11:2379?x=1' has a path, query or fragment")]
    [InlineData("https://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "grpc://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "clusters[0].etcd.endpoints[0]: 'grpc://10.0.0.11:2379' is not an absolute http(s) URL")]
    [InlineData("https://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "https://root:hunter2@10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "clusters[0].etcd.endpoints[0]: the endpoint carries user information")]
    [InlineData("https://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "http://10.0.0.11:2379, \"https://10.0.0.12:2379/\"", "clusters[0].etcd.endpoints: the endpoints mix http and https")]
    [InlineData("      cert: { env: ETCD_CERT }\n", "", "clusters[0].etcd: 'cert' and 'key' go together")]
    [InlineData("      key: { keyVault: { vault: ops, secret: etcd-client-key } }\n", "", "clusters[0].etcd: 'cert' and 'key' go together")]
    [InlineData("ca: { file: /etc/strata/etcd/ca.crt }", "ca: /etc/strata/etcd/ca.crt", "clusters[0].etcd.ca: the CA certificate is named by a reference, not written here; reference one instead")]
    [InlineData("key: { keyVault: { vault: ops, secret: etcd-client-key } }", "key: \"-----BEGIN PRIVATE KEY-----\"", "clusters[0].etcd.key: secrets are never written in strata.yaml")]
    [InlineData("dialTimeout: 3s", "dialTimeout: 3 seconds", "clusters[0].etcd.dialTimeout: '3 seconds' is not a duration")]
    [InlineData("dialTimeout: 3s", "dialTimeout: 1h", "clusters[0].etcd.dialTimeout: '1h' is longer than 5m")]
    [InlineData("tlsServerName: etcd.internal", "serverName: etcd.internal", "clusters[0].etcd.serverName: unknown field 'serverName'")]
    [InlineData("image: busybox:1.36", "image: \"\"", "policies[0].etcd.controlPlaneFiles.image: 'image' is required")]
    [InlineData("image: busybox:1.36", "image: busy box", "policies[0].etcd.controlPlaneFiles.image: 'busy box' is not an image reference")]
    [InlineData("namespace: strata-system", "namespace: Strata_System", "policies[0].etcd.controlPlaneFiles.namespace: 'Strata_System' is not a namespace name")]
    [InlineData("root: /etc/kubernetes/", "root: etc/kubernetes", "policies[0].etcd.controlPlaneFiles.root: 'etc/kubernetes' is not an absolute folder")]
    [InlineData("root: /etc/kubernetes/", "root: /etc/../root", "policies[0].etcd.controlPlaneFiles.root: '/etc/../root' is not an absolute folder without '..'")]
    [InlineData("paths: [pki, manifests, pki/etcd/]", "paths: [pki, /etc/shadow]", "policies[0].etcd.controlPlaneFiles.paths[1]: '/etc/shadow' is not a path relative to the root without '..'")]
    [InlineData("paths: [pki, manifests, pki/etcd/]", "paths: [pki, ../../etc/shadow]", "policies[0].etcd.controlPlaneFiles.paths[1]: '../../etc/shadow' is not a path relative to the root")]
    [InlineData("paths: [pki, manifests, pki/etcd/]", "paths: [pki, a//b]", "policies[0].etcd.controlPlaneFiles.paths[1]: 'a//b' is not a path relative")]
    [InlineData("paths: [pki, manifests, pki/etcd/]", "paths: []", "policies[0].etcd.controlPlaneFiles.paths: must not be empty")]
    [InlineData("paths: [pki, manifests, pki/etcd/]", "paths: [pki, pki]", "policies[0].etcd.controlPlaneFiles.paths: 'pki' is named twice")]
    [InlineData("nodeSelector: \"node-role.kubernetes.io/master\"", "nodeSelector: \"a in (b\"", "policies[0].etcd.controlPlaneFiles.nodeSelector:")]
    [InlineData("nodeSelector: \"node-role.kubernetes.io/master\"", "nodeSelector: \"\"", "policies[0].etcd.controlPlaneFiles.nodeSelector: an empty selector would copy from every node")]
    [InlineData("allowUnencryptedKeys: true", "allowUnencryptedKeys: yes please", "policies[0].etcd.controlPlaneFiles.allowUnencryptedKeys: 'yes please' is not true or false")]
    [InlineData("timeout: 20m", "timeout: forever", "policies[0].etcd.timeout: 'forever' is not a duration")]
    [InlineData("snapshot: true", "snapshots: true", "policies[0].etcd.snapshots: unknown field 'snapshots'")]
    [InlineData("mode: etcdRestore", "mode: etcdrestore", "policies[0].verification.drill.mode: unknown mode 'etcdrestore'")]
    public void Parse_Invalid_NamesTheFieldAndWhy(string find, string replace, string expected)
    {
        var yaml = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var error = Assert.Throws<ConfigurationException>(() => Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN PRIVATE KEY", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    etcd: {}", "clusters[0].etcd.endpoints: 'endpoints' is required")]
    [InlineData("    etcd: { endpoints: [] }", "clusters[0].etcd.endpoints: must not be empty")]
    [InlineData("    etcd: { endpoints: [http://127.0.0.1:2379], ca: { file: /ca.crt } }", "clusters[0].etcd.ca: 'ca' goes with https endpoints; these are http (no TLS)")]
    [InlineData("    etcd: { endpoints: [http://127.0.0.1:2379], tlsServerName: etcd }", "clusters[0].etcd.tlsServerName: 'tlsServerName' goes with https endpoints")]
    [InlineData("    etcd: [http://127.0.0.1:2379]", "clusters[0].etcd: expected a mapping")]
    public void Parse_InvalidClusterShapes_NameTheFieldAndWhy(string etcd, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Cluster(etcd)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    etcd: { snapshot: false }", "policies[0].etcd: 'snapshot: false' without 'controlPlaneFiles' takes nothing")]
    [InlineData("    etcd: { controlPlaneFiles: {} }", "policies[0].etcd.controlPlaneFiles.image: 'image' is required")]
    [InlineData("    etcd: true", "policies[0].etcd: expected a mapping")]
    public void Parse_InvalidPolicyShapes_NameTheFieldAndWhy(string etcd, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Policy(etcd)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "policies[0].verification.drill.mode: etcdRestore rebuilds the backup's etcd snapshot, and this policy takes none")]
    [InlineData("    etcd: { snapshot: false, controlPlaneFiles: { image: busybox } }", "policies[0].verification.drill.mode: etcdRestore rebuilds the backup's etcd snapshot, and this policy's 'etcd.snapshot' is false")]
    public void Parse_EtcdRestoreDrill_WithoutTheSnapshot_IsRefused(string etcd, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Policy(etcd, "    verification: { drill: { mode: etcdRestore } }")));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target: prod")]
    [InlineData("prefix: rebuild-{id}")]
    [InlineData("readiness: false")]
    [InlineData("keepOnFailure: true")]
    [InlineData("assertions: [{ resource: configmaps, namespace: shop, name: web, exists: true }]")]
    public void Parse_EtcdRestoreDrill_WithScratchSettings_IsRefused(string setting)
    {
        var field = setting[..setting.IndexOf(':', StringComparison.Ordinal)];

        var error = Assert.Throws<ConfigurationException>(() => Parse(Policy("    etcd: {}", $"    verification:\n      drill:\n        mode: etcdRestore\n        {setting}")));

        Assert.Contains($"policies[0].verification.drill.{field}: '{field}' steers a restore into a cluster's scratch namespaces; an etcdRestore drill rebuilds the snapshot on this runner",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TheExampleInDocsEtcd_ReadsAsDocumented()
    {
        var markdown = File.ReadAllText(Path.Combine(Strata.TestKit.Repository.Root, "docs", "etcd.md"));
        var start = markdown.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];

        var configuration = Parse(yaml);

        Assert.Equal(3, configuration.FindCluster("prod-kubeadm")!.Etcd!.Endpoints.Count);
        Assert.Null(configuration.FindCluster("prod-aks")!.Etcd);
        var etcd = configuration.FindPolicy("nightly")!.Etcd!;
        Assert.Equal((true, EtcdSettings.DefaultTimeout, "busybox:1.36"), (etcd.Snapshot, etcd.Timeout, etcd.ControlPlaneFiles!.Image));
    }

    [Fact]
    public void Parse_Invalid_LocatesTheLine()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(Valid.Replace("https://cp-3.internal:2379", "cp-3:2379", StringComparison.Ordinal)));

        Assert.Contains("strata.yaml:5:", error.Message, StringComparison.Ordinal);
    }
}
