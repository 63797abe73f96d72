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
