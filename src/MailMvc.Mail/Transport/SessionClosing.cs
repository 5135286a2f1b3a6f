using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>Closing a transport session that is done with (the mailer's connections, the outbox's workers).</summary>
internal static partial class SessionClosing
{
    /// <summary>Closes <paramref name="session"/>. A failure to close it is logged and is no mail's: blaming it on the mail
    /// sent before (already taken) could make that mail go twice, and on the next one (not yet sent) would fail it or
    /// cost it an outbox attempt.</summary>
    public static async Task CloseQuietlyAsync(this IMailTransportSession session, ILogger logger, string transport)
    {
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogCloseFailed(logger, transport, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing a session of {Transport} failed; the mails sent on it stand")]
    private static partial void LogCloseFailed(ILogger logger, string transport, Exception exception);
}
