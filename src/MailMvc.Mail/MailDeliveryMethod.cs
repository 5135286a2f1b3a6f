namespace MailMvc.Mail;

/// <summary>Where <see cref="IMailer"/> delivers mail.</summary>
public enum MailDeliveryMethod
{
    /// <summary>Over SMTP to <see cref="MailOptions.Server"/>.</summary>
    Smtp,

    /// <summary>As <c>.eml</c> files written to <see cref="MailOptions.PickupDirectory"/>.</summary>
    PickupDirectory,
}
