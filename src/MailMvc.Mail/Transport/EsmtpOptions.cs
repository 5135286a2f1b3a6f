using MailKit;
using MailKit.Net.Smtp;

namespace MailMvc.Mail.Transport;

/// <summary>Flask-Mail's <c>mail_options</c> and <c>rcpt_options</c>, parsed into what MailKit can send.</summary>
internal sealed record EsmtpOptions(
    DeliveryStatusNotificationType? Return,
    string? EnvelopeId,
    DeliveryStatusNotification? Notify)
{
    public static readonly EsmtpOptions None = new(null, null, null);

    /// <exception cref="ArgumentException">An option MailMvc cannot send.</exception>
    public static EsmtpOptions Parse(IReadOnlyCollection<string> mailOptions, IReadOnlyCollection<string> rcptOptions)
    {
        if (mailOptions.Count == 0 && rcptOptions.Count == 0)
        {
            return None;
        }

        DeliveryStatusNotificationType? ret = null;
        string? envelopeId = null;
        foreach (var option in mailOptions)
        {
            var (name, value) = Split(option);
            switch (name)
            {
                case "RET" when value.Equals("FULL", StringComparison.OrdinalIgnoreCase):
                    ret = DeliveryStatusNotificationType.Full;
                    break;
                case "RET" when value.Equals("HDRS", StringComparison.OrdinalIgnoreCase):
                    ret = DeliveryStatusNotificationType.HeadersOnly;
                    break;
                case "ENVID" when value.Length > 0:
                    envelopeId = value;
                    break;
                case "BODY" or "SMTPUTF8":
                    // MailKit negotiates 8BITMIME, BINARYMIME and SMTPUTF8 itself from what the server offers.
                    break;
                default:
                    throw Unsupported(option);
            }
        }

        DeliveryStatusNotification? notify = null;
        foreach (var option in rcptOptions)
        {
            var (name, value) = Split(option);
            if (name != "NOTIFY" || value.Length == 0)
            {
                throw Unsupported(option);
            }

            notify = value.Split(',').Aggregate(DeliveryStatusNotification.Never, (flags, v) => flags | v.Trim().ToUpperInvariant() switch
            {
                "NEVER" => DeliveryStatusNotification.Never,
                "SUCCESS" => DeliveryStatusNotification.Success,
                "FAILURE" => DeliveryStatusNotification.Failure,
                "DELAY" => DeliveryStatusNotification.Delay,
                _ => throw Unsupported(option),
            });
        }

        return new EsmtpOptions(ret, envelopeId, notify);
    }

    /// <summary>The options of an envelope, as MailKit sends them.</summary>
    /// <exception cref="ArgumentException">An option MailMvc cannot send.</exception>
    public static EsmtpOptions From(Envelope envelope) => Parse(envelope.MailParameters, envelope.RecipientParameters);

    private static (string Name, string Value) Split(string option)
    {
        var equals = option.IndexOf('=');
        return equals < 0
            ? (option.Trim().ToUpperInvariant(), "")
            : (option[..equals].Trim().ToUpperInvariant(), option[(equals + 1)..].Trim());
    }

    private static ArgumentException Unsupported(string option) => new(
        $"The ESMTP option '{option}' is not supported. MailMvc sends RET=FULL|HDRS and ENVID=… with MAIL FROM " +
        "(BODY and SMTPUTF8 are negotiated automatically), and NOTIFY=… with RCPT TO.");
}
