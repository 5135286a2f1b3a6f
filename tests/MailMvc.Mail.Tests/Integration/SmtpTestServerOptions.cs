namespace MailMvc.Mail.Tests.Integration;

/// <summary>How <see cref="SmtpTestServer"/> behaves; the defaults give a plain server that accepts everything.</summary>
internal sealed record SmtpTestServerOptions
{
    /// <summary>Offer STARTTLS with the test certificate.</summary>
    public bool StartTls { get; init; }

    /// <summary>Speak TLS from the first byte with the test certificate.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>Offer AUTH and accept this user (with <see cref="AuthPassword"/>).</summary>
    public string? AuthUser { get; init; }

    /// <summary>The password of <see cref="AuthUser"/>.</summary>
    public string? AuthPassword { get; init; }

    /// <summary>Offer only this AUTH mechanism (PLAIN or LOGIN); null offers both.</summary>
    public string? AuthMechanism { get; init; }

    /// <summary>Answer RCPT TO for this address with 550.</summary>
    public string? RefuseRecipient { get; init; }

    /// <summary>Answer the end of DATA with this reply instead of 250, for example a 451.</summary>
    public string? DataReply { get; init; }

    /// <summary>Accept TCP connections but never send the SMTP greeting.</summary>
    public bool Silent { get; init; }
}
