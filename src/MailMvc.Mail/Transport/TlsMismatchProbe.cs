using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Tells the two TLS mix-ups apart after a connection failed, with a second short connection that sends no mail:
/// a port that expects TLS from the first byte (465) used with STARTTLS, and a port that greets in plain text
/// (587, 25) used with TLS on connect. Only a failure pays for it.
/// </summary>
internal static class TlsMismatchProbe
{
    // A server that speaks at all answers a handshake or greets within moments; a silent one costs at most this more.
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(2);

    /// <summary>True when the server answers a TLS handshake at once (it sent its certificate).</summary>
    public static async Task<bool> SpeaksTlsFirstAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout < s_limit ? timeout : s_limit);
        var sawCertificate = false;
        try
        {
            using var socket = await ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false,
                // Trust is not the question here, only whether TLS is spoken: the certificate is noted and refused.
                (_, certificate, _, _) =>
                {
                    sawCertificate = certificate is not null;
                    return false;
                });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException)
        {
            return sawCertificate;
        }
    }

    /// <summary>True when the server greets in plain text (<c>220</c>) as soon as it is connected.</summary>
    public static async Task<bool> GreetsInPlainTextAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout < s_limit ? timeout : s_limit);
        try
        {
            using var socket = await ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
            var buffer = new byte[4];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, limit.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("220", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
