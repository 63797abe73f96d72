using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace Strata.Sandbox.Http;

/// <summary>
/// The server's side of an exec WebSocket in the channel protocol: every message starts with its
/// channel (0 stdin, 1 stdout, 2 stderr, 3 status); <c>v5.channel.k8s.io</c> adds the close signal
/// (255, then the channel to close). Output is sent in frames of at most <see cref="MaxFrameData"/>
/// bytes, one send at a time, each awaited. Stdin flows through a small pipe: when the command
/// does not read, the pipe fills, the socket is not read, and TCP slows the client down.
/// </summary>
internal sealed class ExecConnection : IDisposable
{
    public const int MaxFrameData = 32 * 1024;
    private const byte CloseSignal = 255;
    private static readonly TimeSpan ClosePatience = TimeSpan.FromSeconds(30);

    private readonly WebSocket _socket;
    private readonly string _subprotocol;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Pipe? _stdin;
    private readonly CancellationTokenSource _gone;
    private readonly CancellationToken _goneToken;
    private readonly Task _receiving;

    public ExecConnection(WebSocket socket, string subprotocol, bool stdinAttached, CancellationToken requestAborted)
    {
        _socket = socket;
        _subprotocol = subprotocol;
        _stdin = stdinAttached ? new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false)) : null;
        _gone = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        _goneToken = _gone.Token;
        Stdin = _stdin?.Reader.AsStream() ?? Stream.Null;
        _receiving = Task.Run(ReceiveAsync, CancellationToken.None);
    }

    /// <summary>Channel 0 as a stream: empty when not attached.</summary>
    public Stream Stdin { get; }

    /// <summary>Cancelled when the client closes or drops the connection.</summary>
    public CancellationToken ClientGone => _goneToken;

    public Stream Channel(byte channel, bool attached) => attached ? new ExecChannelStream(this, channel) : Stream.Null;

    /// <summary>Sends <paramref name="data"/> on <paramref name="channel"/> (an empty message too), in frames, each awaited.</summary>
    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = ArrayPool<byte>.Shared.Rent(Math.Min(data.Length, MaxFrameData) + 1);
        try
        {
            frame[0] = channel;
            do
            {
                var length = Math.Min(data.Length, MaxFrameData);
                data.Span[..length].CopyTo(frame.AsSpan(1));
                await _sending.WaitAsync(cancellationToken);
                try
                {
                    await _socket.SendAsync(frame.AsMemory(0, length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                }
                finally
                {
                    _sending.Release();
                }

                data = data[length..];
            }
            while (!data.IsEmpty);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// Ends the session as kube-apiserver does: stdin is no longer read, the status is written, the
    /// server's close frame sent, and the server waits (a while) for the client to close.
    /// </summary>
    public async Task FinishAsync(byte[] status, CancellationToken cancellationToken)
    {
        _stdin?.Reader.Complete();
        try
        {
            if (status.Length > 0)
            {
                await SendAsync(3, status, cancellationToken);
            }

            await _sending.WaitAsync(cancellationToken);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
            }
            finally
            {
                _sending.Release();
            }

            await _receiving.WaitAsync(ClosePatience, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or IOException)
        {
            // The client went away first: nothing is left to tell it.
        }
    }

    public void Dispose()
    {
        _gone.Cancel();
        _gone.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[MaxFrameData + 1];
        var channel = -1;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _goneToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var data = buffer.AsMemory(0, result.Count);
                if (channel < 0 && !data.IsEmpty)
                {
                    channel = data.Span[0];
                    data = data[1..];
                }

                await DeliverAsync(channel, data);
                if (result.EndOfMessage)
                {
                    channel = -1;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            await (_stdin?.Writer.CompleteAsync() ?? ValueTask.CompletedTask);
            try
            {
                await _gone.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async ValueTask DeliverAsync(int channel, ReadOnlyMemory<byte> data)
    {
        if (channel == CloseSignal && _subprotocol.StartsWith("v5.", StringComparison.Ordinal))
        {
            if (data.Length == 1 && data.Span[0] == 0 && _stdin is not null)
            {
                await _stdin.Writer.CompleteAsync();
            }
        }
        else if (channel == 0 && _stdin is not null && !data.IsEmpty)
        {
            // After the close signal (or once the command is done) stdin is discarded.
            try
            {
                await _stdin.Writer.WriteAsync(data, _goneToken);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
