using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>One SMTP connection: connects (TLS as configured), authenticates, sends, and says QUIT (or, pooled, goes back
/// to the <see cref="SmtpConnectionPool"/> for the next sender).</summary>
internal sealed class SmtpMailTransportSession : IPipelinedSession
{
    private readonly MailMvcSmtpClient _client;
    private readonly SmtpTranscriptLogger? _transcript;
    private readonly MailOptions _options;
    private readonly Authentication.IMailTokenProvider? _tokens;
    private bool _broken;
    private Socket? _socket;
    private PipelinedSmtpExchange? _pipelined;
    private int _sent;
    private bool _reused;

    public SmtpMailTransportSession(MailMvcSmtpClient client, SmtpTranscriptLogger? transcript, MailOptions options,
        Authentication.IMailTokenProvider? tokens = null)
    {
        _client = client;
        _transcript = transcript;
        _options = options;
        _tokens = tokens;
    }

    public bool IsUsable => !_broken && _client.IsConnected && (_options.MaxEmails is not { } max || _sent < max)
        && _pipelined is null or { Idle: true };

    /// <summary>Where the session goes when its user is done: the pool takes it (true), or it is closed.</summary>
    public Func<SmtpMailTransportSession, bool>? ReturnToPool { get; init; }

    /// <summary>Usable, under <see cref="MailOptions.MaxEmails"/>, and its socket neither closed by the server nor holding an
    /// unexpected reply (a readable idle SMTP socket means the server hung up or said 421).</summary>
    public bool IsAlive => IsUsable && _socket is { Connected: true } socket && !socket.Poll(0, SelectMode.SelectRead);

    private string Server => $"{_options.SmtpHost}:{_options.Port}";

    /// <summary>Marks a connection taken from the pool: if the server has closed it meanwhile (its idle timer fired
    /// between the pool's liveness check and the next MAIL FROM), the next send reconnects once instead of failing.</summary>
    public void MarkReused() => _reused = true;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (SendThread.IsCurrent)
            {
                ConnectSocket();
            }
            else
            {
                await ConnectSocketAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MailTimeoutException e) when (!_options.UseSsl)
        {
            // No greeting: a port that expects TLS from the first byte waits for the client's handshake.
            if (await TlsMismatchProbe.SpeaksTlsFirstAsync(_options.SmtpHost, _options.Port, _options.Timeout, cancellationToken).ConfigureAwait(false))
            {
                throw new MailSecurityException(
                    $"The SMTP server {Server} expects TLS from the first byte (as port 465 does) and sent no greeting: " +
                    "set Mail:UseSsl (MAIL_USE_SSL) to true" + (_options.UseTls ? " instead of Mail:UseTls." : "."), null, e);
            }

            throw;
        }
        catch (MailSecurityException e) when (_options.UseSsl && e.InnerException is SslHandshakeException)
        {
            if (await TlsMismatchProbe.GreetsInPlainTextAsync(_options.SmtpHost, _options.Port, _options.Timeout, cancellationToken).ConfigureAwait(false))
            {
                throw new MailSecurityException(
                    $"The SMTP server {Server} greets in plain text (as ports 587 and 25 do), so TLS on connect fails: " +
                    "set Mail:UseTls (MAIL_USE_TLS) to true instead of Mail:UseSsl, to upgrade the connection with STARTTLS.", null, e);
            }

            throw;
        }

        await LoginAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ConnectSocketAsync(CancellationToken cancellationToken)
    {
        await RunAsync("connecting", async token =>
        {
            var socket = NewSocket();
            try
            {
                await socket.ConnectAsync(_options.SmtpHost, _options.Port, token).ConfigureAwait(false);
                await _client.ConnectAsync(socket, _options.SmtpHost, _options.Port, Security, token).ConfigureAwait(false);
            }
            catch
            {
                DisposeUnlessConnected(socket);
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Connects on a send thread with blocking calls only: a socket that has run one asynchronous operation
    /// stays non-blocking, and every later blocking read on it waits for the runtime's epoll thread to wake it.</summary>
    private void ConnectSocket()
    {
        Run("connecting", () =>
        {
            var socket = NewSocket();
            try
            {
                ConnectWithTimeout(socket);
                _client.Connect(socket, _options.SmtpHost, _options.Port, Security, CancellationToken.None);
            }
            catch
            {
                DisposeUnlessConnected(socket);
                throw;
            }
        });
    }

    /// <summary>A blocking connect bounded by the configured timeout (the operating system's own is minutes): when
    /// it runs out, the socket is closed under the connect, which ends it.</summary>
    /// <remarks>Not a non-blocking connect and a poll: a socket once switched to non-blocking stays so inside the
    /// runtime, and its blocking reads then go through the epoll thread.</remarks>
    private void ConnectWithTimeout(Socket socket)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout);
        using var abort = timeout.Token.Register(socket.Dispose);
        try
        {
            socket.Connect(_options.SmtpHost, _options.Port);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException && timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Connecting to {Server} timed out.", e);
        }
    }

    private Socket NewSocket()
    {
        // MailKit's own socket leaves Nagle's algorithm on, which stalls every message ~40 ms.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket = socket;
        return socket;
    }

    private SecureSocketOptions Security => _options.UseSsl ? SecureSocketOptions.SslOnConnect
        : _options.UseTls ? SecureSocketOptions.StartTls
        : SecureSocketOptions.None;

    private void DisposeUnlessConnected(Socket socket)
    {
        if (!_client.IsConnected)
        {
            socket.Dispose();
        }
    }

    private async Task LoginAsync(CancellationToken cancellationToken)
    {
        if (_tokens is not null)
        {
            await LoginWithTokenAsync(_tokens, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!string.IsNullOrEmpty(_options.Username))
        {
            if (!_client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                _broken = true;
                throw new MailAuthenticationException(
                    $"The SMTP server {Server} does not offer AUTH, but Mail:Username is set. " +
                    (_options.UseTls || _options.UseSsl ? "" : "Many servers offer AUTH only after STARTTLS (Mail:UseTls)."));
            }

            if (SendThread.IsCurrent)
            {
                Run("logging in", () => _client.Authenticate(_options.Username, _options.Password ?? "", CancellationToken.None));
            }
            else
            {
                await RunAsync("logging in", token => _client.AuthenticateAsync(_options.Username, _options.Password ?? "", token), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>Logs in with an OAuth2 token (XOAUTH2 or OAUTHBEARER). A refused token is forgotten, a fresh one fetched,
    /// and the login tried once more; a second refusal is the configuration's fault, not the token's age.</summary>
    private async Task LoginWithTokenAsync(Authentication.IMailTokenProvider tokens, CancellationToken cancellationToken)
    {
        var username = _options.Username ?? "";
        var mechanismName = _options.OAuth2.Mechanism == Authentication.OAuth2Mechanism.OAuthBearer ? "OAUTHBEARER" : "XOAUTH2";
        if (!_client.AuthenticationMechanisms.Contains(mechanismName))
        {
            _broken = true;
            var offered = _client.AuthenticationMechanisms.Count == 0 ? "no AUTH at all" : "AUTH " + string.Join(" ", _client.AuthenticationMechanisms);
            throw new MailAuthenticationException(
                $"The SMTP server {Server} does not offer AUTH {mechanismName} (it offers {offered}), but Mail:Authentication is OAuth2. " +
                "Check the server name, set Mail:OAuth2:Mechanism to the one it offers (XOAuth2 or OAuthBearer)" +
                (_options.UseTls || _options.UseSsl ? "." : ", or turn on Mail:UseTls: many servers offer AUTH only after STARTTLS."));
        }

        var request = new Authentication.MailTokenRequest(_options.SmtpHost, _options.Port, username);
        string? refusal = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var token = await FetchTokenAsync(tokens, request, cancellationToken).ConfigureAwait(false);
            SaslMechanism mechanism = _options.OAuth2.Mechanism == Authentication.OAuth2Mechanism.OAuthBearer
                ? new SaslMechanismOAuthBearer(username, token.Token)
                : new SaslMechanismOAuth2(username, token.Token);
            if (SendThread.IsCurrent)
            {
                Run("logging in", () => refusal = TryAuthenticate(mechanism));
            }
            else
            {
                await RunAsync("logging in", async t => refusal = await TryAuthenticateAsync(mechanism, t).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }

            if (refusal is null)
            {
                return;
            }

            tokens.Invalidate(request, token);
        }

        _broken = true;
        throw new MailAuthenticationException(
            $"The SMTP server {Server} refused the OAuth2 token for '{username}' twice (a fresh token was fetched after the first refusal). " +
            "Check that Mail:Username is the mailbox the token may send as, that the mailbox allows SMTP AUTH, and that the app or service " +
            "account has the right to it (Microsoft 365: the SMTP.SendAsApp permission and an Exchange service principal with rights on the " +
            $"mailbox; Gmail: domain-wide delegation for {Authentication.GoogleOAuth2Options.DefaultScope}). The server said: {refusal}", refusal);
    }

    /// <summary>Asks the token provider for a token. What a provider throws besides MailMvc's own exceptions (a custom
    /// one's <see cref="IOException"/>, say) becomes a <see cref="MailAuthenticationException"/> that names the provider
    /// (its own timeout a <see cref="MailTimeoutException"/>): taken as it was, it read as the SMTP connection's failure
    /// ("lost while sending" when the login was a resend's reconnect). The outbox retries both as it retries an outage.</summary>
    private async Task<Authentication.MailAccessToken> FetchTokenAsync(Authentication.IMailTokenProvider tokens,
        Authentication.MailTokenRequest request, CancellationToken cancellationToken)
    {
        try
        {
            // A send thread blocks for the token as it blocks on its socket; MSAL or Google's HTTP call runs only when the
            // cached token is due.
            return SendThread.IsCurrent
                ? SendThread.Run(() => tokens.GetTokenAsync(request, CancellationToken.None))
                : await tokens.GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not MailDeliveryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            var provider = (tokens is Authentication.CachingMailTokenProvider caching ? caching.Inner : tokens).GetType().Name;
            if (e is TimeoutException or OperationCanceledException)
            {
                // Its own timeout (an HTTP client's, say), not the caller's cancellation: a passing problem, as a server's is.
                throw new MailTimeoutException(
                    $"The OAuth2 token provider ({provider}) did not give a token for '{request.Username}' to log in to {Server} in time: {e.Message}",
                    null, e, isConnectionFailure: true);
            }

            throw new MailAuthenticationException(
                $"The OAuth2 token provider ({provider}) could not give a token for '{request.Username}' to log in to {Server}: {e.Message}", null, e);
        }
    }

    /// <returns>Null when the server accepted the login, else what it said.</returns>
    private string? TryAuthenticate(SaslMechanism mechanism)
    {
        try
        {
            _client.Authenticate(mechanism, CancellationToken.None);
            return null;
        }
        catch (AuthenticationException e)
        {
            return e.Message;
        }
    }

    /// <inheritdoc cref="TryAuthenticate"/>
    private async Task<string?> TryAuthenticateAsync(SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        try
        {
            await _client.AuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (AuthenticationException e)
        {
            return e.Message;
        }
    }

    public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        if (!SendThread.IsCurrent)
        {
            return SendOnThreadPoolAsync(message, envelope, cancellationToken);
        }

        // The mailer's own send thread: the whole exchange stays on it (see SendThread).
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            BeginSend(envelope);
            string? reply = null;
            Exception? unprepared = null;
            // No token for MailKit: a cancellable one costs a poll(2) before every read and write. The configured
            // Timeout bounds each read and write instead, and the caller's token is checked between mails.
            Run("sending", () => (reply, unprepared) = SendBlocking(message, envelope, cancellationToken));
            return unprepared is null ? Task.FromResult(EndSend(reply)) : Task.FromException<TransportReceipt>(unprepared);
        }
        catch (Exception e)
        {
            return Task.FromException<TransportReceipt>(e);
        }
    }

    /// <summary>Sends on a send thread: pipelined where the connection allows it (<see cref="PipelinedSmtpExchange"/>),
    /// else MailKit's exchange.</summary>
    /// <returns>The server's reply; or, when the message itself could not be prepared (nothing of it was sent, and the
    /// connection is fine), why.</returns>
    private (string? Reply, Exception? Unprepared) SendBlocking(MimeMessage message, Envelope envelope, CancellationToken cancellationToken,
        bool mayResend = true)
    {
        // A connection that has carried mail may have been closed by the server while it waited (its idle timer). A mail
        // that dies with it before MAIL FROM's answer never reached a transaction, so it goes on a new connection, once:
        // a new connection that fails is the server's answer.
        var resend = TakeMayResend() && mayResend;
        if (Exchange() is { } exchange)
        {
            string? reply = null;
            Exception? error = null;
            var unprepared = false;
            int sent;
            try
            {
                sent = exchange.Send([new OutgoingMessage(message, envelope)], 0, (_, r, e, u) => (reply, error, unprepared) = (r, e, u),
                    CancellationToken.None);
            }
            finally
            {
                _broken |= exchange.Broken;
            }

            if (sent == 1 && error is not null && !unprepared && resend && LostBeforeTheMail(error) && !cancellationToken.IsCancellationRequested)
            {
                ReconnectToResend(cancellationToken);
                return SendBlocking(message, envelope, cancellationToken, mayResend: false);
            }

            if (sent == 1)
            {
                return error is null ? (reply!, null) : unprepared ? (null, error) : throw error;
            }
        }

        try
        {
            return (_client.Send(message, envelope.Sender, envelope.Recipients, CancellationToken.None), null);
        }
        catch (Exception e) when (resend && LostBeforeTheMail(e) && (!_client.IsConnected || _client.SenderReply == SmtpStatusCode.ServiceNotAvailable)
            && !cancellationToken.IsCancellationRequested)
        {
            // Only when the connection is gone (or the server said 421): MailKit reads the attachments before MAIL FROM,
            // and a stream of the mail's own that fails to read leaves a good connection, and no answer, behind.
            ReconnectToResend(cancellationToken);
            return SendBlocking(message, envelope, cancellationToken, mayResend: false);
        }
    }

    /// <summary>Opens a new connection on a send thread for a mail the server never began to take on the old one.</summary>
    private void ReconnectToResend(CancellationToken cancellationToken)
    {
        SendThread.Wait(ReconnectAsync(cancellationToken));
        // The failed attempt's lines and the new connection's greeting are no mail's: the mail's transcript starts here,
        // as a pooled connection's does.
        _transcript?.TakeTranscript();
    }

    /// <inheritdoc />
    public int PipelineDepth => IsUsable && Exchange() is not null
        ? _options.MaxEmails is { } max ? max - _sent : int.MaxValue
        : 0;

    /// <inheritdoc />
    public int SendPipelined(IReadOnlyList<OutgoingMessage> messages, MessageOutcome outcome, CancellationToken cancellationToken)
    {
        var exchange = Exchange() ?? throw new InvalidOperationException("This session cannot pipeline: check PipelineDepth first.");
        // A failed send on this connection left lines behind: they are no message's of this run.
        _transcript?.TakeTranscript();
        var done = 0;
        var finished = false;
        var inCallersHandler = false;
        try
        {
            while (done < messages.Count && !_broken && !cancellationToken.IsCancellationRequested)
            {
                var mayResend = TakeMayResend();
                var resend = false;
                var sent = exchange.Send(messages, done, (index, reply, error, unprepared) =>
                {
                    if (mayResend && !unprepared && error is not null && LostBeforeTheMail(error) && !cancellationToken.IsCancellationRequested)
                    {
                        // The first mail of the exchange to reach the server, on a connection the server closed while it
                        // waited (its idle timer): the mail never reached a transaction, so it goes on a new connection,
                        // as a pooled connection's does. Once: the new connection has sent nothing yet, and a failure
                        // there is the server's answer. Nothing more goes on this connection.
                        resend = true;
                        exchange.Stop();
                        return;
                    }

                    if (!unprepared)
                    {
                        mayResend = false;
                    }

                    var (receipt, failure) = unprepared ? (null, error) : Outcome(reply, error);
                    done = index + 1;
                    if (_broken)
                    {
                        // The failure made the connection unusable (STARTTLS required, say): no further mail on it.
                        exchange.Stop();
                    }

                    inCallersHandler = true;
                    outcome(index, receipt, failure);
                    inCallersHandler = false;
                }, cancellationToken);
                if (resend)
                {
                    ReconnectToResend(cancellationToken);
                    if (Exchange() is not { } renewed)
                    {
                        // The new connection does not pipeline: the caller sends the rest one at a time.
                        break;
                    }

                    exchange = renewed;
                    continue;
                }

                done = sent;
                _broken |= exchange.Broken;
                if (done < messages.Count && !_broken && !cancellationToken.IsCancellationRequested)
                {
                    // The exchange stopped before a message that needs BINARYMIME: MailKit sends it (with BDAT).
                    var (receipt, failure) = SendWithMailKit(messages[done]);
                    inCallersHandler = true;
                    outcome(done++, receipt, failure);
                    inCallersHandler = false;
                }
            }

            finished = true;
        }
        catch (Exception e) when ((e is not OperationCanceledException || !cancellationToken.IsCancellationRequested) && !inCallersHandler
            && done < messages.Count)
        {
            // Not a failure the exchange reports (those are outcomes), nor the caller's own: it concerns the first
            // message without an outcome.
            finished = true;
            _broken = true;
            outcome(done, null, Failure("sending", e));
            done++;
        }
        finally
        {
            // Ended by an exception of the caller's own (its outcome handler's), which goes on to the caller: the
            // connection may be mid-exchange, so it is not used again.
            _broken |= !finished;
        }

        return done;
    }

    private PipelinedSmtpExchange? Exchange()
    {
        if (_pipelined is null && SendThread.IsCurrent && _socket is { } socket && PipelinedSmtpExchange.Suits(_client))
        {
            _pipelined = new PipelinedSmtpExchange(_client, new NetworkStream(socket, ownsSocket: false), _transcript);
        }

        return _pipelined;
    }

    private (TransportReceipt? Receipt, Exception? Error) Outcome(string? reply, Exception? error)
    {
        if (error is not null)
        {
            _transcript?.TakeTranscript();
            return (null, Failure("sending", error));
        }

        return (EndSend(reply), null);
    }

    private (TransportReceipt? Receipt, Exception? Error) SendWithMailKit(OutgoingMessage message)
    {
        try
        {
            BeginSend(message.Envelope);
            return (EndSend(_client.Send(message.Message, message.Envelope.Sender, message.Envelope.Recipients, CancellationToken.None)), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, Failure("sending", e));
        }
    }

    private async Task<TransportReceipt> SendOnThreadPoolAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        var reused = TakeMayResend();
        try
        {
            return await SendOnceAsync(message, envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (MailDeliveryException e) when (reused && ServerClosedBeforeTheMail(e) && !cancellationToken.IsCancellationRequested)
        {
            // A connection the server had closed while it waited: the mail never reached it, so sending it on a new connection
            // cannot deliver it twice. Once only; a second failure is the server's answer.
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
            return await SendOnceAsync(message, envelope, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TransportReceipt> SendOnceAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        BeginSend(envelope);
        string? reply = null;
        await RunAsync("sending", async token => reply = await _client.SendAsync(message, envelope.Sender, envelope.Recipients, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return EndSend(reply);
    }

    /// <summary>Whether the next send may be resent on a new connection when it finds this one closed: the connection was
    /// taken from the pool or has carried mail, so the server may have closed it while it waited. Asked once a send.</summary>
    private bool TakeMayResend()
    {
        var mayResend = _reused || _sent > 0;
        _reused = false;
        return mayResend;
    }

    /// <summary>Whether a failed send died with the connection before the server answered MAIL FROM (or answered it
    /// 421, closing the channel): then no mail transaction began, and the message was not delivered.</summary>
    private bool ServerClosedBeforeTheMail(MailDeliveryException e) => e is not MailTimeoutException && e.InnerException is { } cause
        && LostBeforeTheMail(cause);

    /// <summary><see cref="ServerClosedBeforeTheMail"/> for the failure as MailKit or the pipelined exchange raised it.</summary>
    private bool LostBeforeTheMail(Exception e) => _client.SenderReply switch
    {
        null => !IsBlockingTimeout(e) && e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException,
        SmtpStatusCode.ServiceNotAvailable => true,
        _ => false,
    };

    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(quit: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException)
        {
            // Already gone.
        }

        _socket?.Dispose();
        _pipelined = null;
        _broken = false;
        _sent = 0;
        try
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Connected but not logged in (a token provider that failed, say) is no connection to send on.
            _broken = true;
            throw;
        }
    }

    private void BeginSend(Envelope envelope)
    {
        // A failed send on this connection (a pooled one) left lines behind: they are not this message's.
        _transcript?.TakeTranscript();
        _client.BeginMessage();
        var esmtp = EsmtpOptions.From(envelope);
        _client.Options = esmtp;
        _client.DeliveryStatusNotificationType = esmtp.Return ?? DeliveryStatusNotificationType.Unspecified;
    }

    private TransportReceipt EndSend(string? reply)
    {
        _sent++;
        return new TransportReceipt(reply, _transcript?.TakeTranscript()) { Server = Server };
    }

    public async ValueTask DisposeAsync()
    {
        if (ReturnToPool?.Invoke(this) != true)
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Releases the connection without QUIT.</summary>
    public void Abort() => _client.Dispose();

    /// <summary>Says QUIT (bounded by the timeout) and releases the connection.</summary>
    public async Task CloseAsync()
    {
        try
        {
            if (_client.IsConnected && !_broken)
            {
                using var timeout = new CancellationTokenSource(_options.Timeout);
                await _client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or TimeoutException)
        {
            // The mail is already delivered; a failed QUIT only means the server hung up first.
        }
        finally
        {
            _client.Dispose();
        }
    }

    /// <summary>Runs one step with the configured timeout and turns MailKit's exceptions into MailMvc's.</summary>
    private async Task RunAsync(string step, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            await action(timeout.Token).ConfigureAwait(false);
        }
        // MailKit's own per-read timeout (client.Timeout) throws TimeoutException; ours cancels the token. Either may fire first.
        catch (Exception e) when ((e is OperationCanceledException or TimeoutException) && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(step, e);
        }
        catch (Exception e) when (Translate(e, step) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs one blocking step on a send thread, with <see cref="RunAsync"/>'s translation of failures.</summary>
    private void Run(string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (IsBlockingTimeout(e))
        {
            throw TimedOut(step, e);
        }
        catch (Exception e) when (Translate(e, step) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Blocking reads and writes time out with the socket's own timeout (MailKit sets it from client.Timeout).</summary>
    private static bool IsBlockingTimeout(Exception e) =>
        e is TimeoutException || e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } };

    /// <summary><see cref="Run"/>'s translation of a failure, as a value: the exception to report.</summary>
    private Exception Failure(string step, Exception e) => IsBlockingTimeout(e) ? TimedOut(step, e) : Translate(e, step) ?? e;

    private MailTimeoutException TimedOut(string step, Exception e)
    {
        _broken = true;
        // A timeout while sending may be this message's size; while connecting or logging in it is the server.
        return new MailTimeoutException(
            $"The SMTP server {Server} did not answer within {_options.Timeout.TotalSeconds:0.###} s while {step}.", null, e,
            isConnectionFailure: step != "sending");
    }

    private MailDeliveryException? Translate(Exception e, string step)
    {
        if (!_options.UseTls && !_options.UseSsl && e is SmtpCommandException or ServiceNotConnectedException or ServiceNotAuthenticatedException or SmtpProtocolException
            && e.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase))
        {
            // A configuration mistake, not a passing problem: retrying cannot help until the setting changes.
            _broken = true;
            var reply = e is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}" : e.Message;
            return new MailSecurityException(
                $"The SMTP server {Server} requires STARTTLS before it takes mail: set Mail:UseTls (MAIL_USE_TLS) to true. " +
                $"The server said: {reply}", reply, e);
        }

        switch (e)
        {
            case SmtpCommandException command:
                var reply = $"{(int)command.StatusCode} {command.Message}";
                if (step == "connecting")
                {
                    // A refusal in the greeting, EHLO or STARTTLS (421 "try later", 554) is about the server, not the
                    // mail: retry later, as for a refused connection.
                    _broken = true;
                    return new MailDeliveryException(
                        $"The SMTP server {Server} refused the connection. The server said: {reply}", reply, isTransient: true, e, isConnectionFailure: true);
                }

                if (command.StatusCode == SmtpStatusCode.ServiceNotAvailable)
                {
                    // 421: the server is closing the channel; nothing more goes on it.
                    _broken = true;
                }

                if ((int)command.StatusCode is >= 400 and < 500)
                {
                    return new MailTemporaryFailureException(
                        $"The SMTP server {Server} refused the message for now; it may succeed later. The server said: {reply}", reply, e);
                }

                if (command.StatusCode == SmtpStatusCode.AuthenticationRequired)
                {
                    return new MailAuthenticationException(
                        $"The SMTP server {Server} requires a login before it takes mail; set Mail:Username and Mail:Password. The server said: {reply}", reply, e);
                }

                return command.ErrorCode switch
                {
                    SmtpErrorCode.RecipientNotAccepted => new MailRecipientRefusedException(
                        command.Mailbox?.Address ?? "(unknown)",
                        $"The SMTP server {Server} refused the recipient {command.Mailbox?.Address}; nothing was sent. The server said: {reply}",
                        reply, e),
                    SmtpErrorCode.SenderNotAccepted => new MailDeliveryException(
                        $"The SMTP server {Server} refused the sender {command.Mailbox?.Address}. The server said: {reply}", reply, false, e),
                    _ => new MailDeliveryException($"The SMTP server {Server} refused the message. The server said: {reply}", reply, false, e),
                };
            case AuthenticationException:
                _broken = true;
                return new MailAuthenticationException(
                    $"The SMTP server {Server} rejected the login for user '{_options.Username}'. Check Mail:Username and Mail:Password.",
                    e.Message, e);
            case SslHandshakeException:
                _broken = true;
                return new MailSecurityException(
                    $"TLS with the SMTP server {Server} failed: its certificate is not trusted or the handshake failed. " +
                    "Mail is never sent unencrypted when TLS is configured.", null, e);
            case NotSupportedException when step == "logging in":
                _broken = true;
                return new MailAuthenticationException(
                    $"The SMTP server {Server} offers no login mechanism MailKit supports: {e.Message}", null, e);
            case NotSupportedException when _options.UseTls:
                _broken = true;
                return new MailSecurityException(
                    $"The SMTP server {Server} does not offer STARTTLS, and Mail:UseTls requires it. Nothing was sent unencrypted.", null, e);
            case SocketException socket when step == "connecting":
                _broken = true;
                return new MailServerUnreachableException(
                    $"Could not connect to the SMTP server {Server}: {socket.Message}.", null, e);
            case SmtpProtocolException or IOException or SocketException:
                _broken = true;
                // Lost while connecting or logging in (an overloaded or restarting server hangs up) is the server's
                // trouble: the outbox waits for it instead of spending the mails' attempts.
                return new MailDeliveryException(
                    $"The connection to the SMTP server {Server} was lost while {step}: {e.Message}", null, isTransient: true, e,
                    isConnectionFailure: step != "sending");
            case ServiceNotConnectedException or ServiceNotAuthenticatedException:
                _broken = true;
                return new MailDeliveryException($"The connection to the SMTP server {Server} is no longer usable: {e.Message}", null, isTransient: true, e,
                    isConnectionFailure: step != "sending");
            default:
                return null;
        }
    }
}
