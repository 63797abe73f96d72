using System.Buffers;
using System.Net.WebSockets;
using Strata.Adapters.Commands;
using Strata.Core.Commands;

namespace Strata.Adapters.Kubernetes;

/// <summary>
/// The client's side of an exec WebSocket in the channel protocol (<c>v5.channel.k8s.io</c> or
/// <c>v4.channel.k8s.io</c>): messages are read one at a time, only when stdout is wanted, so the
/// server is read no faster than the caller consumes (TCP slows the command down); stderr goes into
/// a bounded tail, the status channel is kept until its message is whole. Stdin is sent on channel 0
/// and, over v5, closed with the close signal.
/// </summary>
internal sealed class ExecSocket(WebSocket socket, int stderrLimit)
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    private const int FrameData = 32 * 1024;
    private const int StatusLimit = 64 * 1024;
    private static readonly byte[] CloseStdin = [255, 0];

    private readonly byte[] _buffer = new byte[2 * FrameData];
    private readonly StderrTail _stderr = new(stderrLimit);
    private readonly MemoryStream _status = new();
    private ReadOnlyMemory<byte> _stdout;
    private int _channel = -1;
    private bool _ended;
    private bool _statusArrived;

    /// <summary>Whether stdin can be closed (v5); over v4 the command never sees its end.</summary>
    public bool CanCloseStdin => socket.SubProtocol == V5;

    /// <summary>Reads stdout; 0 at its end: the status arrived, or the connection closed or dropped.</summary>
    public async ValueTask<int> ReadStdoutAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (_stdout.IsEmpty)
        {
            if (!await ReceiveAsync(cancellationToken))
            {
                return 0;
            }
        }

        var count = Math.Min(destination.Length, _stdout.Length);
        _stdout[..count].CopyTo(destination);
        _stdout = _stdout[count..];
        return count;
    }

    /// <summary>Reads (and drops) what stdout the caller left, until the status arrives or the stream ends.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        do
        {
            _stdout = default;
        }
        while (await ReceiveAsync(cancellationToken));
    }

    /// <summary>
    /// Sends <paramref name="stdin"/> on channel 0, then (v5) the close signal. A failure to send means
    /// the command or the connection ended, which the receiving side reports. A failure to read
    /// <paramref name="stdin"/> is the caller's: the connection is dropped (the command must not take
    /// a cut input for the whole) and the failure returned.
    /// </summary>
    public async Task<Exception?> SendStdinAsync(Stream stdin, CancellationToken cancellationToken)
    {
        var frame = ArrayPool<byte>.Shared.Rent(FrameData + 1);
        try
        {
            frame[0] = 0;
            while (true)
            {
                int read;
                try
                {
                    read = await stdin.ReadAsync(frame.AsMemory(1, FrameData), cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    socket.Abort();
                    return e;
                }

                if (read == 0)
                {
                    break;
                }

                await socket.SendAsync(frame.AsMemory(0, read + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }

            if (CanCloseStdin)
            {
                await socket.SendAsync(CloseStdin, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }

        return null;
    }

    /// <summary>How the command ended, from the status channel; unknown when the stream ended without one.</summary>
    public CommandExit Outcome() => _statusArrived
        ? ExecStatus.Read(_status.GetBuffer().AsSpan(0, (int)_status.Length), _stderr.ToString())
        : new CommandExit(null, _stderr.ToString(), "the exec stream ended before the command's exit status arrived");

    /// <summary>Says goodbye after the status (the server waits for the client to close).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
        }
    }

    // One received piece, dispatched by channel; false once the stream has ended.
    private async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return false;
        }

        ValueWebSocketReceiveResult result;
        try
        {
            result = await socket.ReceiveAsync(_buffer.AsMemory(), cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            _ended = true; // dropped
            return false;
        }

        if (result.MessageType == WebSocketMessageType.Close)
        {
            _ended = true;
            return false;
        }

        var data = _buffer.AsMemory(0, result.Count);
        if (_channel < 0 && !data.IsEmpty)
        {
            _channel = data.Span[0];
            data = data[1..];
        }

        switch (_channel)
        {
            case 1:
                _stdout = data;
                break;
            case 2:
                _stderr.Add(data.Span);
                break;
            case 3 when _status.Length + data.Length <= StatusLimit:
                _status.Write(data.Span);
                break;
        }

        if (result.EndOfMessage)
        {
            // The status is the last thing the server sends; an empty one is only the "session open" message.
            if (_channel == 3 && _status.Length > 0)
            {
                _statusArrived = _ended = true;
            }

            _channel = -1;
        }

        return true;
    }
}
