using System.Text;

namespace Strata.Sandbox;

/// <summary>
/// A <see cref="PodExecHandler"/> for Pods that read a node's files through a <c>hostPath</c> mount, as Strata's
/// control-plane files Pod does: a folder on this host stands for each node's folder, the command's arguments that
/// name the mount (<see cref="MountPath"/>, or a path under it) are rewritten to the folder of the Pod's node
/// (<see cref="PodExecRequest.Node"/>), and the command runs on the host (<see cref="HostProcessExec"/>: the real
/// <c>sh</c> and <c>tar</c>). A Pod on a node without a folder finds nothing mounted.
/// </summary>
/// <example><c>new SandboxOptions { PodExec = new NodeFilesExec(new Dictionary&lt;string, string&gt; { ["cp-1"] = "/tmp/cp-1" }).RunAsync }</c></example>
/// <param name="folders">Each node's folder on this host, by node name.</param>
public sealed class NodeFilesExec(IReadOnlyDictionary<string, string> folders)
{
    /// <summary>Where the Pod mounts the node's folder (default: kubeadm's <c>/etc/kubernetes</c> under <c>/host</c>).</summary>
    public string MountPath { get; init; } = "/host/etc/kubernetes";

    /// <summary>How the rewritten command runs (default: the host's PATH).</summary>
    public HostProcessExec Host { get; init; } = new();

    /// <summary>Runs the session's command against the folder of the Pod's node.</summary>
    public async Task<int> RunAsync(PodExecSession session, CancellationToken cancellationToken = default)
    {
        if (session.Request.Node is not { } node || !folders.TryGetValue(node, out var folder))
        {
            await session.Stderr.WriteAsync(Encoding.UTF8.GetBytes($"{MountPath}: No such file or directory (the sandbox has no folder for node '{session.Request.Node}')\n"), cancellationToken);
            return 2;
        }

        var command = session.Request.Command.Select(argument => Rewrite(argument, folder)).ToList();
        var rewritten = new PodExecSession(session.Request with { Command = command }, session.Subprotocol, session.Stdin, session.Stdout, session.Stderr, session.Abort);
        return await Host.RunAsync(rewritten, cancellationToken);
    }

    private string Rewrite(string argument, string folder) =>
        argument == MountPath ? folder
        : argument.StartsWith(MountPath + "/", StringComparison.Ordinal) ? Path.Combine(folder, argument[(MountPath.Length + 1)..])
        : argument;
}
