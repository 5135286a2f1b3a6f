namespace MailMvc.Mail.Tests.Integration;

/// <summary>How <see cref="SmtpTestServer"/> behaves; the defaults give a plain server that accepts everything.</summary>
internal sealed record SmtpTestServerOptions
{
    /// <summary>Offer STARTTLS with the test certificate.</summary>
    public bool StartTls { get; init; }

    /// <summary>Speak TLS from the first byte with the test certificate.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>With <see cref="StartTls"/>: refuse every command but EHLO, NOOP, RSET and QUIT until the client issued
    /// STARTTLS ("530 Must issue a STARTTLS command first"), as submission servers do.</summary>
    public bool RequireStartTls { get; init; }

    /// <summary>Offer AUTH and accept this user (with <see cref="AuthPassword"/>).</summary>
    public string? AuthUser { get; init; }

    /// <summary>The password of <see cref="AuthUser"/>.</summary>
    public string? AuthPassword { get; init; }

    /// <summary>Offer only this AUTH mechanism (PLAIN or LOGIN); null offers both.</summary>
    public string? AuthMechanism { get; init; }

    /// <summary>Offer only AUTH XOAUTH2 and OAUTHBEARER, and accept this user with one of <see cref="OAuthTokens"/>.</summary>
    public string? OAuthUser { get; init; }

    /// <summary>The access tokens <see cref="OAuthUser"/> may log in with; any other is refused (334 error challenge, then 535).</summary>
    public IReadOnlyList<string> OAuthTokens { get; init; } = [];

    /// <summary>Answer RCPT TO for this address with 550.</summary>
    public string? RefuseRecipient { get; init; }

    /// <summary>Answer the end of DATA with this reply instead of 250, for example a 451.</summary>
    public string? DataReply { get; init; }

    /// <summary>Offer PIPELINING in the EHLO reply, as Postfix and the big services do (the default).</summary>
    public bool Pipelining { get; init; } = true;

    /// <summary>Accept TCP connections but never send the SMTP greeting.</summary>
    public bool Silent { get; init; }

    /// <summary>Listen on this loopback port; null lets the OS pick a free one.</summary>
    public int? Port { get; init; }

    /// <summary>Answer the first this many messages with <c>451 4.3.0 Try again later</c>, accept the later ones.</summary>
    public int TempFailFirst { get; init; }

    /// <summary>Close the connection right after the DATA content of the first this many messages, without a reply.
    /// Like <see cref="TempFailFirst"/> it counts from the server's first message, and a 451 takes precedence: with
    /// TempFailFirst = 1 and DropFirst = 2 the first message gets 451 and the second is dropped.</summary>
    public int DropFirst { get; init; }

    /// <summary>Wait this long before answering each message, for tests that need delivery to take a while.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Close a connection idle this long, without a word, as real servers do (Postfix after 300 s, the
    /// default here too).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Close the first this many connections that bring a second MAIL FROM, without a reply: the server's
    /// idle timer firing just as a pooled connection is used again.</summary>
    public int HangUpReused { get; init; }

    /// <summary>With <see cref="HangUpReused"/>: answer that MAIL FROM "421" instead of closing without a reply, and leave
    /// the connection open.</summary>
    public bool HangUpWith421 { get; init; }
}
