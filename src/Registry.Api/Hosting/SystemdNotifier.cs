using System.Net.Sockets;
using System.Text;

namespace Registry.Api.Hosting;

/// <summary>
/// sd_notify(3) for <c>Type=notify</c> units: sends <c>READY=1</c> when the service is ready and
/// <c>STOPPING=1</c> when it starts draining, to the datagram socket named by <c>NOTIFY_SOCKET</c>.
/// Without <c>NOTIFY_SOCKET</c> (not under systemd) it does nothing.
/// </summary>
public static class SystemdNotifier
{
    /// <summary>Sends one notification; false when there is no socket or it could not be sent.</summary>
    public static bool Notify(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        // A leading '@' names a socket in the abstract namespace.
        var endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(endpoint);
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
