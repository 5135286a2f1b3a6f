namespace MailMvc.Mail;

/// <summary>Where <see cref="IMailer"/> delivers mail.</summary>
public enum MailDeliveryMethod
{
    /// <summary>Over SMTP to <see cref="MailOptions.Server"/>.</summary>
    Smtp,

    /// <summary>As <c>.eml</c> files written to <see cref="MailOptions.PickupDirectory"/>.</summary>
    PickupDirectory,

    /// <summary>Nowhere: messages are built, recorded and dispatched, but no server is contacted
    /// (<see cref="MailOptions.SuppressSend"/>).</summary>
    Suppressed,
}
