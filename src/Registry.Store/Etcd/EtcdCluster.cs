// The connection to an etcd cluster (etcd v3 gRPC API; the generated clients come with dotnet-etcd, docs/HA.md says
// why not its EtcdClient). One HTTP/2 channel per member; a call goes to the current member and, when that member
// does not answer in time or answers that it has no leader, to the next one, each member at most once per call. The
// project owns this logic (and the watch and lease loops above it) instead of a library's reconnection, so that what
// happens when members or the quorum are lost is the code in this folder and nothing else.
using Grpc.Core;
using Grpc.Net.Client;

namespace Registry.Store.Etcd;

/// <summary>Calls into an etcd cluster with a deadline per call and fail-over between its members.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class EtcdCluster : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly string[] _endpoints;
    private int _current;

    /// <summary>Opens channels (lazily connected) to every member.</summary>
    /// <param name="endpoints">The members' client URLs (<c>http://host:port</c>).</param>
    /// <param name="requestTimeout">The deadline of each call on one member.</param>
    public EtcdCluster(IReadOnlyList<string> endpoints, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(requestTimeout, TimeSpan.Zero);
        _endpoints = [.. endpoints];
        _channels = [.. endpoints.Select(e => GrpcChannel.ForAddress(e, new GrpcChannelOptions
        {
            // The largest etcd response the registry asks for is one page of the log (at most a few MiB).
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = requestTimeout,
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(2),
                KeepAlivePingTimeout = requestTimeout,
            },
        }))];
        RequestTimeout = requestTimeout;
    }

    /// <summary>The deadline of each call on one member.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>The member calls go to first now.</summary>
    public string CurrentEndpoint => _endpoints[Volatile.Read(ref _current) % _endpoints.Length];

    /// <summary>
    /// Runs <paramref name="call"/> against the current member and, while members fail transiently, the next ones,
    /// each once. A definitive error (a request etcd refuses as such) is thrown as it is.
    /// </summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    /// <exception cref="RpcException">etcd refused the request itself (too large, out of space, bad argument).</exception>
    public async Task<T> CallAsync<T>(Func<CallInvoker, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var start = Volatile.Read(ref _current);
        RpcException? last = null;
        for (var i = 0; i < _channels.Length; i++)
        {
            var index = (start + i) % _channels.Length;
            try
            {
                var result = await call(_channels[index].CreateCallInvoker(), new CallOptions(deadline: DateTime.UtcNow.Add(RequestTimeout), cancellationToken: cancellationToken)).ConfigureAwait(false);
                Volatile.Write(ref _current, index);
                return result;
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller gave up (its session ended): say so as cancellation, not as an etcd answer.
                throw new OperationCanceledException(cancellationToken);
            }
            catch (RpcException ex) when (IsTransient(ex))
            {
                last = ex;
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = new RpcException(new Status(StatusCode.Unavailable, ex.Message, ex));
            }
        }

        Volatile.Write(ref _current, (start + 1) % _channels.Length);
        throw new EtcdUnavailableException($"no etcd member answered ({string.Join(", ", _endpoints)}): {last?.Status.Detail ?? "no member"}", last);
    }

    /// <summary>A channel's call invoker for a long-lived stream (watch, keep-alive) on the current member.</summary>
    public (CallInvoker Invoker, string Endpoint) StreamInvoker()
    {
        var index = Volatile.Read(ref _current) % _channels.Length;
        return (_channels[index].CreateCallInvoker(), _endpoints[index]);
    }

    /// <summary>Moves the next calls and streams to the next member (the current one broke a stream).</summary>
    public void Rotate() => Interlocked.Increment(ref _current);

    /// <summary>
    /// Whether another member may answer where this one did not: unreachable, too slow, no leader or no quorum
    /// (etcd answers those as Unavailable), or a connection reset. A request etcd judged (too large, no space,
    /// a bad argument, permission) would get the same answer everywhere.
    /// </summary>
    public static bool IsTransient(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.Aborted;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
