using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Strata.Sandbox.Controllers;
using Strata.Sandbox.Http;
using Strata.Sandbox.Security;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox;

/// <summary>
/// A Kubernetes API server in-process, for tests, benchmarks and <c>strata demo</c>: Kestrel over
/// HTTPS on a loopback port with its own CA, bearer-token and client-certificate authentication,
/// discovery, CRUD with the real wire format, paging, selectors, CRDs, namespace termination,
/// validation and admission (dry runs included), simulated controllers (opt-in), and fault
/// injection. Never for production use.
/// </summary>
public sealed partial class SandboxApiServer : IAsyncDisposable
{
    internal long RequestCounter;
    private readonly ApiDispatcher _dispatcher;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly ConcurrentDictionary<RequestAddress, byte> _addresses = new();
    private readonly ControllerQueue _controllers;
    private WebApplication? _app;
    private Task _restart = Task.CompletedTask;
    private int _disposed;

    private SandboxApiServer(SandboxOptions options, SandboxCertificates certificates, ObjectStore store)
    {
        Options = options;
        Certificates = certificates;
        Store = store;
        Access = new AccessControl(options.Authorization, store);
        AdminToken = Access.IssueToken("sandbox-admin", AccessControl.Masters);
        Objects = new ObjectRequests(store, new ObjectLifecycle(options.Time), new AdmissionChain(store, options.Admission), options);
        _controllers = new ControllerQueue(options.Time, _disposing.Token);
        Objects.Observe(new NamespaceController(Objects, _controllers, options.NamespaceDeletionDelay, options.Time));
        if (options.Controllers is { } simulated)
        {
            Objects.Observe(new WorkloadController(Objects, _controllers, simulated, options.Time));
            Objects.Observe(new JobController(Objects, _controllers, simulated, options.Time));
            SnapshotBackend = simulated.Snapshots is { } snapshots ? snapshots.Backend ?? new SnapshotBackend() : null;
            Objects.Observe(new VolumeBinder(Objects, store, _controllers, simulated, SnapshotBackend, options.Time));
            if (simulated.CloudNativePg is { } cnpg)
            {
                Objects.Observe(new CloudNativePgOperator(Objects, store, _controllers, cnpg, options.Time));
            }

            if (simulated.Kubelet is { } kubelet)
            {
                Objects.Observe(new Kubelet(Objects, _controllers, kubelet, options.Time));
            }

            if (simulated.Snapshots is { } snapshotSettings)
            {
                Objects.Observe(new SnapshotController(Objects, store, _controllers, options.Time));
                Objects.Observe(new CsiSnapshotter(Objects, store, _controllers, snapshotSettings, SnapshotBackend!, options.Time));
            }
        }

        _dispatcher = new ApiDispatcher(this);
    }

    public SandboxOptions Options { get; }

    public TimeProvider Time => Options.Time;

    /// <summary>https://127.0.0.1:{port}</summary>
    public Uri Url { get; private set; } = null!;

    public SandboxCertificates Certificates { get; }

    public ObjectStore Store { get; }

    /// <summary>Tokens, authorization (<see cref="SandboxOptions.Authorization"/>) and denial rules.</summary>
    public AccessControl Access { get; }

    public FaultInjection Faults { get; } = new();

    /// <summary>
    /// The storage system the simulated CSI drivers take snapshots on (<see cref="SimulatedSnapshots.Backend"/>, or the
    /// sandbox's own); null when snapshots are not simulated.
    /// </summary>
    public SnapshotBackend? SnapshotBackend { get; }

    /// <summary>A token for a user in <c>system:masters</c>.</summary>
    public string AdminToken { get; }

    /// <summary>Requests served so far.</summary>
    public long RequestCount => Interlocked.Read(ref RequestCounter);

    /// <summary>Each way requests have addressed the server (server name, <c>Host</c>, protocol), once, ordered.</summary>
    public IReadOnlyList<RequestAddress> RequestAddresses =>
        [.. _addresses.Keys.OrderBy(a => a.TlsServerName, StringComparer.Ordinal).ThenBy(a => a.Host, StringComparer.Ordinal).ThenBy(a => a.Protocol, StringComparer.Ordinal)];

    /// <summary>Whether the server is listening (false while it is stopped or restarting).</summary>
    public bool IsListening => Volatile.Read(ref _app) is not null;

    /// <summary>Notes how a request addressed the server (<see cref="RequestAddresses"/>).</summary>
    internal void Addressed(RequestAddress address) => _addresses.TryAdd(address, 0);

    /// <summary>Object operations, shared by HTTP requests and direct seeding.</summary>
    internal ObjectRequests Objects { get; }

    public static async Task<SandboxApiServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var server = new SandboxApiServer(options, new SandboxCertificates(options.Time, options.ServerCertificateNames), new ObjectStore(options.Time));
        await server.ListenAsync(port: 0, cancellationToken);
        server.SeedDefaults();
        return server;
    }

    /// <summary>
    /// Stops listening, as an API server process does when it exits: open connections are cut and
    /// the port refuses new ones. The objects, the CA and the tokens stay, as etcd and the PKI do.
    /// </summary>
    public async Task StopListeningAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (Interlocked.Exchange(ref _app, null) is { } app)
            {
                // A cancelled token: no graceful drain, connections are aborted at once.
                await app.StopAsync(new CancellationToken(canceled: true));
                await app.DisposeAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Listens again on the same port, with the same data, CA and tokens.</summary>
    public async Task ResumeListeningAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_app is null)
            {
                await ListenAsync(Url.Port, cancellationToken);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Restarts the server in the background: it stops listening now, and listens again on the same
    /// port after <paramref name="downtime"/> (on <see cref="Time"/>). <see cref="WaitForRestartAsync"/> awaits it.
    /// </summary>
    public void Restart(TimeSpan downtime) => _restart = Task.Run(async () =>
    {
        await StopListeningAsync();
        await Task.Delay(downtime, Time, _disposing.Token);
        await ResumeListeningAsync(_disposing.Token);
    });

    /// <summary>Completes when the last <see cref="Restart"/> has the server listening again.</summary>
    public Task WaitForRestartAsync() => _restart;

    /// <summary>
    /// Creates <paramref name="obj"/> directly in the store (no HTTP), as <c>kubectl create</c> would:
    /// validated, and seen by the controllers, but not put to <see cref="SandboxOptions.Admission"/>
    /// (a seeded object is state that was there before the rules).
    /// </summary>
    public JsonObject Create(JsonObject obj, string manager = "sandbox-seed")
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new ArgumentException("apiVersion is required");
        var kind = obj["kind"]?.GetValue<string>() ?? throw new ArgumentException("kind is required");
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var type = Store.Types.FirstOrDefault(t => t.Group == group && t.Kind == kind && t.Versions.Contains(version))
            ?? throw new ArgumentException($"the sandbox does not serve {kind} in {apiVersion}");
        var ns = type.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : null;
        return Objects.Create(new RequestTarget.Objects(type, version, ns, null, null), obj, manager, dryRun: false, seed: true);
    }

    /// <summary>
    /// Sets the <c>ContinuousArchiving</c> condition of the CloudNativePG Cluster <paramref name="ns"/>/<paramref name="cluster"/>
    /// through its status subresource, as the instance manager reports it: working (True), or failing (False) with
    /// <paramref name="error"/>. False when there is no such Cluster (or the CNPG CRDs are not loaded).
    /// </summary>
    public bool SetContinuousArchiving(string ns, string cluster, bool working, string? error = null) =>
        CloudNativePgOperator.SetContinuousArchiving(Objects, Store, Time, ns, cluster, working, error);

    /// <summary>Creates a namespace (if absent).</summary>
    public void CreateNamespace(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (Store.Get(Store.FindType("", "namespaces")!, null, name) is not null)
        {
            return;
        }

        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        }

        Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata });
    }

    /// <summary>A kubeconfig for this server: bearer token by default, or the given client certificate.</summary>
    public string Kubeconfig(string contextName = "sandbox", string? token = null, (string CertificatePem, string KeyPem)? clientCertificate = null)
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(Certificates.AuthorityPem));
        var user = clientCertificate is { } cert
            ? $"    client-certificate-data: {B64(cert.CertificatePem)}\n    client-key-data: {B64(cert.KeyPem)}\n"
            : $"    token: {token ?? AdminToken}\n";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {contextName}
              cluster:
                server: {Url.ToString().TrimEnd('/')}
                certificate-authority-data: {ca}
            users:
            - name: {contextName}-user
              user:

            """ + user + $"""
            contexts:
            - name: {contextName}
              context:
                cluster: {contextName}
                user: {contextName}-user
            current-context: {contextName}

            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // tests take a cluster down, then the world disposes it again
        }

        await _disposing.CancelAsync();
        try
        {
            await _restart;
        }
        catch (OperationCanceledException)
        {
        }

        await StopListeningAsync();
        await _controllers.StopAsync();
        Certificates.Dispose();
        _disposing.Dispose();
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(https =>
            {
                // A selection callback (rather than ServerCertificate) has the handshake read the client's
                // server name (SNI), which requests then report (ITlsHandshakeFeature.HostName): RequestAddresses.
                https.ServerCertificateSelector = (_, _) => Certificates.ServerCertificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }));
        });
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(_dispatcher.HandleAsync);
        await app.StartAsync(cancellationToken);
        Url = new Uri(app.Urls.First());
        Volatile.Write(ref _app, app);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private void SeedDefaults()
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            CreateNamespace(ns, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns });
        }

        if (Options.Authorization == AuthorizationMode.Rbac)
        {
            foreach (var obj in DefaultRbac.Objects())
            {
                Create(obj);
            }
        }
    }
}
