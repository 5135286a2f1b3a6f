using System.Diagnostics;
using System.Globalization;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MailMvc.Samples.Sending;

/// <summary>Sending with <see cref="IMailer"/>, as the docs show it: one mail, a connection, a list, a recorder.</summary>
public static class SendingSamples
{
    /// <summary>One mail, and what became of it.</summary>
    public static async Task<string> SendOneAsync(IMailer mailer, byte[] pdfBytes, byte[] pngBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        // <snippet:send-one>
        // anywhere: one mail (Flask-Mail's mail.send(msg))
        var message = new Message(
            subject: "Hello",
            recipients: ["ada@example.com"],
            body: "This is the email body",
            html: "<p>This is the <b>email</b> body</p>",
            sender: ("Ada's app", "app@example.com"));      // or "app@example.com", or "Ada's app <app@example.com>"
        message.Attach("report.pdf", "application/pdf", pdfBytes);
        message.AttachInline("logo", "logo.png", "image/png", pngBytes);   // <img src="cid:logo"> in the HTML
        var receipt = await mailer.SendAsync(message, cancellationToken);

        // the receipt says what became of this mail
        var shown = receipt.Disposition switch
        {
            MailDisposition.Delivered => $"sent to {string.Join(", ", receipt.Recipients)}",
            MailDisposition.Queued => $"queued as {receipt.QueueId}",   // in the outbox; a worker delivers it
            MailDisposition.Suppressed => $"not sent: {receipt.Reason ?? "Mail:SuppressSend is on"}",   // or the suppression list
            MailDisposition.Stopped => $"stopped: {receipt.Reason}",   // an interceptor said no
            _ => throw new UnreachableException(),
        };
        // </snippet:send-one>
        return shown;
    }

    /// <summary>Many mails over one connection.</summary>
    public static async Task ConnectAsync(IMailer mailer, IEnumerable<User> users, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        // <snippet:connection>
        // many mails over one connection (Flask-Mail's `with mail.connect() as conn`), reconnecting after MaxEmails
        await using (var connection = await mailer.ConnectAsync(cancellationToken))
        {
            foreach (var user in users)
            {
                await connection.SendMessageAsync(subject: $"Hi {user.Name}", recipients: [user.Email], body: "…",
                    cancellationToken: cancellationToken);
            }
        }
        // </snippet:connection>
    }

    /// <summary>A long list over several connections, each result with the caller's state.</summary>
    public static async Task SendManyAsync(IMailer mailer, IEnumerable<User> users, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        // <snippet:send-many>
        // each message with state of yours (here its user), handed back with its result: nothing to match up
        var mails = users.Select(user => (new Message($"Hi {user.Name}", [user.Email], body: "…"), user)).ToAsyncEnumerable();
        await foreach (var result in mailer.SendManyAsync(mails, connections: 4, cancellationToken))
        {
            if (!result.IsSent)
            {
                logger.LogWarning("User {UserId}: {Reason}", result.State.Id, result.Error?.Message ?? result.Receipt?.Reason);
            }
        }
        // </snippet:send-many>
    }

    /// <summary>A newsletter: bulk mail each recipient can leave in one click.</summary>
    public static async Task<int> SendNewsletterAsync(IMailer mailer, IEnumerable<User> users, Func<User, Uri> unsubscribeLink,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        ArgumentNullException.ThrowIfNull(unsubscribeLink);
        var suppressed = 0;
        // <snippet:send-many-unsubscribe>
        // bulk mail: each recipient's own one-click link (a token only your app can make), in the headers and the body
        var mails = users.Select(user =>
        {
            var link = unsubscribeLink(user);   // in MailMvc.Web: UnsubscribeLinks.LinkFor(user.Email, "newsletter")
            var message = new Message("News", [user.Email], body: $"…\n\nUnsubscribe: {link}");
            message.SetListUnsubscribe(link);   // List-Unsubscribe: <link>, List-Unsubscribe-Post: List-Unsubscribe=One-Click
            return (message, user);
        }).ToAsyncEnumerable();
        await foreach (var result in mailer.SendManyAsync(mails, connections: 4, cancellationToken))
        {
            // on the suppression list: not sent, Reason "ada@example.com unsubscribed on 2026-05-01 09:12 UTC"
            suppressed += result.Receipt?.Disposition == MailDisposition.Suppressed ? 1 : 0;
        }
        // </snippet:send-many-unsubscribe>
        return suppressed;
    }

    /// <summary>The test seam and the event.</summary>
    public static async Task RecordAsync(IMailer mailer, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        // <snippet:record>
        // tests: record instead of (or as well as) sending (Flask-Mail's record_messages)
        using var outbox = mailer.RecordMessages();
        await mailer.SendMessageAsync(subject: "testing", recipients: ["to@example.com"], body: "test");
        Assert.Equal("testing", outbox.Messages[0].Subject);

        // the email_dispatched signal: after each mail is delivered, queued or suppressed
        mailer.Dispatched += (_, e) => logger.LogInformation("{MessageId}: {Disposition}", e.Message.MessageId, e.Receipt.Disposition);
        // </snippet:record>
    }

    /// <summary>Scheduled sending through the outbox, and cancelling.</summary>
    public static async Task SendLaterAsync(IMailer mailer, IMailOutbox outbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailer);
        ArgumentNullException.ThrowIfNull(outbox);
        // <snippet:send-later>
        // scheduled sending (Rails' deliver_later(wait_until:)): the outbox keeps the mail until then
        var reminder = new Message("Your trial ends tomorrow", ["ada@example.com"], body: "…")
        {
            NotBefore = DateTimeOffset.UtcNow.AddDays(13),   // without the outbox: InvalidOperationException, nothing sent
        };
        var receipt = await mailer.SendAsync(reminder, cancellationToken);   // Queued, receipt.NotBefore says when

        // changed your mind? a mail no worker has taken yet can be cancelled; it is never sent
        await outbox.CancelAsync(long.Parse(receipt.QueueId!, CultureInfo.InvariantCulture), cancellationToken);
        // </snippet:send-later>
    }
}
