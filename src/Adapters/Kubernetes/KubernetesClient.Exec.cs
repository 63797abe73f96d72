using System.Net.WebSockets;
using System.Runtime.ExceptionServices;
using Strata.Core.Commands;
using Strata.Core.Ports;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// <c>pods/exec</c> over WebSocket (<see cref="IPodExec"/>), on the SDK's socket but not its
/// demultiplexer: <c>MuxedStreamNamespacedPodExecAsync</c> ignores the subprotocol asked for, and
/// its <c>StreamDemuxer</c> buffers output without backpressure (up to a fixed cap, then it fails),
/// which a multi-gigabyte dump cannot live with. Frames are read here, one at a time, as the
/// caller consumes stdout.
/// </summary>
public sealed partial class KubernetesClient : IPodExec
{
    /// <summary>
    /// Runs <paramref name="command"/> in its container. Offers <c>v5.channel.k8s.io</c> and
    /// <c>v4.channel.k8s.io</c> in one handshake: servers from 1.30 take v5, whose close signal ends
    /// stdin after <see cref="CommandStreams.Stdin"/>; older ones take v4, which cannot close stdin,
    /// so a command fed over v4 must stop reading by itself (a bounded input: <c>head -c N</c>, a
    /// length in the data). Not retried: an exec may have run. A refusal before the command starts
    /// (pod or container not found, forbidden, pod not scheduled) throws <see cref="KubernetesApiException"/>
    /// with the server's Status; cancelling aborts the connection — which does not stop the command in the container
    /// (runc leaves exec'd processes running): callers bound it there themselves (<c>timeout</c>, see <c>PodToolExecutor</c>).
    /// </summary>
    public async Task<CommandExit> ExecAsync(PodCommand command, CommandStreams streams, CancellationToken cancellationToken = default)
    {
        using var socket = await ConnectExecAsync(command, streams.Stdin is not null, cancellationToken);
        if (socket.SubProtocol is not (ExecSocket.V5 or ExecSocket.V4))
        {
            socket.Abort();
            return new CommandExit(null, "",
                $"exec in {command.Where}: the server chose subprotocol '{socket.SubProtocol}', which carries no exit status ({ExecSocket.V5} or {ExecSocket.V4} needed)");
        }

        var exec = new ExecSocket(socket, streams.StderrLimit);
        using var abort = cancellationToken.Register(socket.Abort);
        using var stopStdin = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdin = streams.Stdin is { } input ? exec.SendStdinAsync(input, stopStdin.Token) : Task.FromResult<Exception?>(null);
        Exception? stdinFailure;
        try
        {
            if (streams.Stdout is { } consume)
            {
                await using var stdout = new ExecStdoutStream(exec);
                await consume(stdout, cancellationToken);
            }

            await exec.DrainAsync(cancellationToken);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException($"exec in {command.Where} cancelled", e, cancellationToken);
        }
        catch
        {
            socket.Abort(); // the caller failed reading stdout: nothing will read the rest
            throw;
        }
        finally
        {
            await stopStdin.CancelAsync();
            stdinFailure = await stdin;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (stdinFailure is not null)
        {
            ExceptionDispatchInfo.Throw(stdinFailure);
        }

        await exec.CloseAsync(cancellationToken);
        return exec.Outcome();
    }

    private async Task<WebSocket> ConnectExecAsync(PodCommand command, bool stdin, CancellationToken cancellationToken)
    {
        var refreshed = false;
        while (true)
        {
            try
            {
                // The SDK requests one subprotocol; the header offers v4 after it (SharedHandlerWebSocketBuilder).
                var alsoOffer = new Dictionary<string, List<string>> { [SharedHandlerWebSocketBuilder.SubprotocolHeader] = [ExecSocket.V4] };
                var socket = await _api.WebSocketNamespacedPodExecAsync(command.Pod, command.Namespace, command.Command, command.Container,
                    stderr: true, stdin: stdin, stdout: true, tty: false, webSocketSubProtocol: ExecSocket.V5, customHeaders: alsoOffer, cancellationToken: cancellationToken);
                MarkReached();
                return socket;
            }
            catch (KubernetesApiException e) when (e.StatusCode == 401 && !refreshed && Connection.RefreshableCredential is { } credential)
            {
                // The command has not started: asking again with a fresh credential is safe.
                refreshed = true;
                await credential.RefreshAsync(cancellationToken);
            }
            catch (KubernetesApiException)
            {
                MarkReached();
                throw;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                throw new OperationCanceledException($"exec in {command.Where} cancelled", e, cancellationToken);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException)
            {
                throw new KubernetesApiException($"exec in {command.Where}: cannot open the stream to {Connection.Server}: {e.Message}", 0, "Unreachable", inner: e);
            }
        }
    }
}
