using System.Text;
using MimeKit;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>A message the SMTP test server accepted: its envelope, its raw data, and how it arrived.</summary>
internal sealed record ReceivedMessage(string MailFrom, IReadOnlyList<string> RcptTos, string Data, bool Tls, bool Authenticated)
{
    /// <summary>The Message-ID header as the server read it, without angle brackets; null when there was none.</summary>
    public string? MessageId { get; init; }

    /// <summary>When the server accepted it (its clock, written to the journal before it replied).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The parameters the client gave with MAIL FROM (<c>BODY=8BITMIME</c>, <c>SMTPUTF8</c>, DSN's).</summary>
    public IReadOnlyList<string> MailOptions { get; init; } = [];

    /// <summary>Whether its MAIL FROM arrived with its DATA already behind it (the client pipelined the envelope).</summary>
    public bool EnvelopePipelined { get; init; }

    /// <summary>Whether its end of data arrived with the next message's MAIL FROM already behind it (the client sent the
    /// next envelope with this content).</summary>
    public bool NextPipelined { get; init; }

    /// <summary>The name the client gave in EHLO.</summary>
    public string? ClientName { get; init; }

    /// <summary>Parses <see cref="Data"/> with MimeKit.</summary>
    public MimeMessage Parse()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Data));
        return MimeMessage.Load(stream);
    }
}
