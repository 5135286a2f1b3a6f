using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailMvc.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection to the app that POSTs the compose form as a browser does (multipart, the
/// antiforgery token and cookie) and reads each answer whole. Written on a socket rather than through
/// <see cref="HttpClient"/>: on two cores the client shares the CPU with the app it measures, and HttpClient's code,
/// compiled again by the tiered JIT in the first seconds, took a tenth of both cores in a 2,000-POST run.
/// </summary>
internal sealed class ComposeConnection : IDisposable
{
    private const string Boundary = "----MailMvcComposeBenchmark7d1f";
    private readonly Uri _address;
    private readonly string _head;
    private readonly string _token;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;

    public ComposeConnection(Uri address, string token, string cookie)
    {
        _address = address;
        _token = token;
        _head =
            $"POST {address.AbsolutePath}compose HTTP/1.1\r\nHost: {address.Authority}\r\nCookie: {cookie}\r\n" +
            $"Content-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: ";
    }

    /// <summary>An answer: its status, its Location header, and its body when it was not a redirect.</summary>
    public readonly record struct Answer(int Status, string? Location, string Body);

    /// <summary>POSTs the form with these fields and reads the whole answer.</summary>
    public async Task<Answer> PostAsync(string to, string subject, string message)
    {
        var body = new StringBuilder(512);
        foreach (var (name, value) in new[] { ("To", to), ("Subject", subject), ("Message", message), ("__RequestVerificationToken", _token) })
        {
            body.Append("--").Append(Boundary).Append("\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n")
                .Append(value).Append("\r\n");
        }

        body.Append("--").Append(Boundary).Append("--\r\n");
        var content = body.ToString();
        var request = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_head}{Encoding.UTF8.GetByteCount(content)}\r\n\r\n{content}"));

        var socket = _socket ??= await ConnectAsync();
        await socket.SendAsync(request, SocketFlags.None);
        var answer = await ReadAnswerAsync(socket);
        if (answer.Close)
        {
            Close();
        }

        return answer.Answer;
    }

    public void Dispose() => Close();

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(_address.Host), _address.Port);
        _start = _end = 0;
        return socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private async Task<(Answer Answer, bool Close)> ReadAnswerAsync(Socket socket)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(socket);
        }

        var head = Encoding.ASCII.GetString(_buffer, _start, headerEnd);
        _start += headerEnd + 4;
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
        string? location = null;
        var contentLength = 0;
        bool chunked = false, close = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line.AsSpan(0, colon);
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase))
            {
                location = value.ToString();
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close = value.Equals("close", StringComparison.OrdinalIgnoreCase);
            }
        }

        var body = new MemoryStream();
        if (chunked)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(socket);
                var chunk = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                await ReadBodyAsync(socket, body, chunk);
                await ReadLineAsync(socket);
                if (chunk == 0)
                {
                    break;
                }
            }
        }
        else
        {
            await ReadBodyAsync(socket, body, contentLength);
        }

        var text = status == (int)HttpStatusCode.Redirect ? "" : Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
        return (new Answer(status, location, text), close);
    }

    private async Task ReadBodyAsync(Socket socket, MemoryStream body, int length)
    {
        while (length > 0)
        {
            if (_start == _end)
            {
                await FillAsync(socket);
            }

            var take = Math.Min(length, _end - _start);
            body.Write(_buffer, _start, take);
            _start += take;
            length -= take;
        }
    }

    private async Task<string> ReadLineAsync(Socket socket)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync(socket);
        }

        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    private async Task FillAsync(Socket socket)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidOperationException("An answer's headers did not fit in 64 KB.");
        }

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0)
        {
            throw new IOException("The app closed the connection in the middle of an answer.");
        }

        _end += read;
    }
}
