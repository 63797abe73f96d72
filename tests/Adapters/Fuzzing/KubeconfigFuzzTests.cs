using CsCheck;
using Strata.Adapters.Kubernetes.Configuration;
using Strata.TestKit;
using Strata.TestKit.Fuzzing;

namespace Strata.Adapters.Tests.Fuzzing;

/// <summary>
/// <see cref="Kubeconfig"/> on kubeconfig files mutated from valid ones: parsing and resolving every context either works
/// or throws <see cref="KubeconfigException"/> (naming the file and what is wrong), never another exception, never a hang.
/// </summary>
public sealed class KubeconfigFuzzTests : IDisposable
{
    private static readonly string[] Seeds =
    [
        """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: shared
          cluster: { server: "https://first.example:6443", insecure-skip-tls-verify: true, tls-server-name: kubernetes }
        users:
        - name: u
          user: { token: first-token }
        - name: f
          user: { tokenFile: token.txt }
        contexts:
        - name: dev
          context: { cluster: shared, user: u, namespace: shop }
        - name: file
          context: { cluster: shared, user: f }
        """,
        """
        apiVersion: v1
        kind: Config
        current-context: aks
        clusters:
        - name: aks
          cluster:
            server: https://aks.example:443
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
        users:
        - name: exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: kubelogin
              args: [get-token, --server-id, "6dae42f8"]
              env: [{ name: AAD_LOGIN_METHOD, value: workloadidentity }]
              interactiveMode: Never
        - name: cert
          user: { client-certificate-data: bm90IGEgY2VydA==, client-key-data: bm90IGEga2V5 }
        contexts:
        - name: aks
          context: { cluster: aks, user: exec }
        - name: cert
          context: { cluster: aks, user: cert }
        """,
    ];

    private static readonly string[] Tokens =
    [
        "\n", "\n  ", "\n- ", ": ", "- ", "{", "}", "[", "]", ",", "&a ", "*a", "<<: *a\n", "!!binary ", "!!int ", "? ", "|\n  ", "~", "null", "'", "\"",
        "---\n", "server: ", "http://", "https://[::1", "file:///etc/passwd", "ftp://x", "certificate-authority: ca.crt", "certificate-authority: /dev/null",
        "client-key: key.pem", "token: ", "tokenFile: ", "exec: {}", "command: ", "auth-provider: { name: gcp }", "username: admin",
        "current-context: ", "cluster: ", "user: ", "context: ", "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", "====", "1e999", "[[[[[[[[",
    ];

    private readonly TempDirectory _directory = new();

    [Fact]
    public void ParseAndResolve_MutatedKubeconfig_WorksOrThrowsKubeconfigException()
    {
        _directory.File("token.txt", "file-token\n");
        Fuzz.Mutated(Seeds, Tokens).Sample(yaml => Fuzz.Case(() =>
        {
            var config = Kubeconfig.Parse(yaml, "fuzz.kubeconfig", _directory.Path);
            foreach (var context in config.ContextNames.Prepend(null).ToList())
            {
                try
                {
                    config.Resolve(context);
                }
                catch (KubeconfigException)
                {
                    // documented: on to the next context
                }
            }
        }, e => e is KubeconfigException), iter: 2_000);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: shared\n  cluster: { server: \"https://first.example:6443\", insecure-skip-tls-verify: [[true, tls-server-name: kubernetes }\nusers:\n- name: u\n  user: { token: first-token }\n", "the YAML parser gave up")]
    [InlineData("clusters: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "nest more than 64 deep")]
    public void Parse_WhatYamlDotNetFailsOnWithoutAYamlException_IsAKubeconfigException(string yaml, string expected)
    {
        // Found by fuzzing: an InvalidOperationException from YamlDotNet's scanner; and deep nesting, which overflowed the stack.
        var text = yaml.EndsWith('[') ? "clusters: " + new string('[', 100_000) : yaml;

        var refused = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(text, "fuzz.kubeconfig", _directory.Path));

        Assert.Contains("fuzz.kubeconfig", refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
