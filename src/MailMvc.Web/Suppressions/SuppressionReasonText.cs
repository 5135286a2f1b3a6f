using MailMvc.Mail.Suppression;

namespace MailMvc.Web.Suppressions;

/// <summary>A suppression's reason as the page says it.</summary>
public static class SuppressionReasonText
{
    public static string Label(SuppressionReason reason) => reason switch
    {
        SuppressionReason.Unsubscribed => "Unsubscribed",
        SuppressionReason.UnknownRecipient => "Unknown address",
        _ => "Added by hand",
    };
}
