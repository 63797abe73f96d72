using Strata.Adapters.Kubernetes.Configuration;
using Strata.TestKit;

namespace Strata.Adapters.Tests.Kubernetes;

public class KubeconfigTests
{
    private const string First = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: shared
          cluster: { server: "https://first.example:6443", insecure-skip-tls-verify: true }
        users:
        - name: u
          user: { token: first-token }
        contexts:
        - name: dev
          context: { cluster: shared, user: u, namespace: shop }
        """;

    private const string Second = """
        apiVersion: v1
        kind: Config
        current-context: prod
        clusters:
        - name: shared
          cluster: { server: "https://second.example:6443" }
        - name: prod
          cluster: { server: "https://prod.example:6443", tls-server-name: kubernetes }
        users:
        - name: u
          user: { token: second-token }
        - name: p
          user: { tokenFile: token.txt }
        contexts:
        - name: prod
          context: { cluster: prod, user: p }
        """;

    [Fact]
    public async Task Load_KubeconfigList_MergesAsKubectlDoes()
    {
        using var dir = new TempDirectory();
        var a = dir.File("a.yaml", First);
        var b = dir.File("b.yaml", Second);
        dir.File("token.txt", "file-token\n");

        var config = Kubeconfig.Load(environment: v => v == "KUBECONFIG" ? $"{a}:{dir.Path}/missing.yaml:{b}" : null);

        Assert.Equal("dev", config.CurrentContext);
        Assert.Equal(["dev", "prod"], config.ContextNames.Order());
        var dev = config.Resolve();
        Assert.Equal("https://first.example:6443/", dev.Server.ToString());
        Assert.True(dev.Trust.InsecureSkipTlsVerify);
        Assert.Equal("shop", dev.Namespace);
        var prod = config.Resolve("prod");
        Assert.Equal("kubernetes", prod.Trust.TlsServerName);
        Assert.Equal("file-token", (await prod.RefreshableCredential!.GetAuthenticationHeaderAsync(default)).Parameter);
    }

    [Fact]
    public void Load_ExplicitMissingFile_NamesTheFile()
    {
        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Load("/nowhere/kubeconfig"));

        Assert.Equal("kubeconfig /nowhere/kubeconfig: file does not exist", error.Message);
    }

    [Fact]
    public void Load_UnparsableYaml_NamesFileAndLine()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.yaml", "apiVersion: v1\nclusters:\n  - name: [unclosed\n");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Load(path));

        Assert.StartsWith($"kubeconfig {path} line ", error.Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nclusters: oops\n", "line 2", "clusters must be a list")]
    [InlineData("apiVersion: v1\nusers:\n- name: u\n  user:\n    exec: [a]\n", "line 5", "exec must be a mapping")]
    [InlineData("clusters:\n- name: c\n  cluster: { server: 'https://x', insecure-skip-tls-verify: maybe }\n", "line 3", "insecure-skip-tls-verify must be true or false, not 'maybe'")]
    public void Load_FieldOfTheWrongShape_NamesFileLineAndField(string yaml, string line, string why)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.yaml", yaml);

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Load(path));

        Assert.StartsWith($"kubeconfig {path} {line}: not valid kubeconfig YAML", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void Parse_AnchorsAliasesNullsAndUnknownFields_ReadAsKubectlReadsThem()
    {
        const string Yaml = """
            apiVersion: v1
            kind: Config
            preferences: {}
            clusters:
            - name: a
              cluster: &shared
                server: https://shared.example:6443
                insecure-skip-tls-verify: true
                extensions: [{ name: x, extension: { y: 1 } }]
            - name: b
              cluster: *shared
            users:
            - name: u
              user:
                token: t
                as: someone
            contexts:
            - name: b
              context: { cluster: b, user: u, namespace: ~ }
            current-context: b
            """;

        var resolved = Kubeconfig.Parse(Yaml, "anchors.yaml").Resolve();

        Assert.Equal("https://shared.example:6443/", resolved.Server.ToString());
        Assert.True(resolved.Trust.InsecureSkipTlsVerify);
        Assert.Null(resolved.Namespace);
        Assert.Equal("t", resolved.Configuration.AccessToken);
    }

    [Fact]
    public void Resolve_UnknownContext_NamesItAndTheKnownOnes()
    {
        var config = Kubeconfig.Parse(First, "first.yaml");

        var error = Assert.Throws<KubeconfigException>(() => config.Resolve("staging"));

        Assert.Equal("kubeconfig first.yaml: context \"staging\" not found (known: dev)", error.Message);
    }

    [Fact]
    public void Resolve_BadCertificateData_SaysWhichFieldWithoutTheValue()
    {
        var yaml = First.Replace("{ token: first-token }", "{ client-certificate-data: '@@notbase64@@', client-key-data: 'AAAA' }", StringComparison.Ordinal);
        var config = Kubeconfig.Parse(yaml, "first.yaml");

        var error = Assert.Throws<KubeconfigException>(() => config.Resolve());

        Assert.Contains("client-certificate-data is not valid base64", error.Message);
        Assert.DoesNotContain("@@notbase64@@", error.Message);
    }
}
