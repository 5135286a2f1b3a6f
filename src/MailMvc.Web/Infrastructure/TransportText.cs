using MailMvc.Mail;
using MailMvc.Mail.Transport;

namespace MailMvc.Web.Infrastructure;

/// <summary>Where mail goes and where one mail went, in the words a person uses ("the SMTP server …", "the pickup
/// folder …"), with files named relative to the app's folder, for the pages.</summary>
public static class TransportText
{
    private const string WrittenTo = "written to ";

    /// <summary>Where <paramref name="transport"/> sends mail; null means sending is suppressed.</summary>
    public static string Describe(IMailTransport? transport, string contentRoot) => transport switch
    {
        null => "nowhere: sending is suppressed (Mail:SuppressSend)",
        IQueueingMailTransport queue => $"the outbox, delivered in the background to {Describe(queue.DeliveryTransport, contentRoot)}",
        // A wrapper that says nothing of its own (tracing) is described by what it wraps.
        IMailTransportWrapper wrapper when wrapper.Description == wrapper.Inner.Description => Describe(wrapper.Inner, contentRoot),
        SmtpMailTransport smtp => "the SMTP server " + After(smtp.Description, "SMTP "),
        PickupDirectoryTransport pickup => "the pickup folder " + Relative(After(pickup.Description, "pickup directory "), contentRoot),
        _ => transport.Description,
    };

    /// <summary>True when mail ends up at an SMTP server (directly or through a queue), so there is an SMTP exchange to record.</summary>
    public static bool UsesSmtp(IMailTransport? transport) => transport switch
    {
        IQueueingMailTransport queue => UsesSmtp(queue.DeliveryTransport),
        IMailTransportWrapper wrapper => UsesSmtp(wrapper.Inner),
        _ => transport is SmtpMailTransport or MultiServerTransport,
    };

    /// <summary>The file the pickup folder wrote the mail to, relative to <paramref name="contentRoot"/>; null when the
    /// mail went anywhere else.</summary>
    public static string? WrittenFile(MailReceipt receipt, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return receipt.Disposition == MailDisposition.Delivered && receipt.Reply is { } reply && reply.StartsWith(WrittenTo, StringComparison.Ordinal)
            ? Relative(reply[WrittenTo.Length..], contentRoot)
            : null;
    }

    /// <summary>How one mail went, for a list of deliveries.</summary>
    public static string Via(MailReceipt receipt, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return receipt.Disposition switch
        {
            MailDisposition.Queued => "outbox",
            MailDisposition.Delivered => WrittenFile(receipt, contentRoot) is null ? "SMTP server" : "pickup folder",
            MailDisposition.Suppressed => receipt.Reason is null ? "nowhere (suppressed)" : "nowhere (suppression list)",
            _ => "stopped",
        };
    }

    /// <summary><paramref name="path"/> relative to <paramref name="contentRoot"/> when it is inside it, else as it is.</summary>
    public static string Relative(string path, string contentRoot)
    {
        var relative = Path.GetRelativePath(contentRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    private static string After(string text, string prefix) =>
        text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
}
