using MailMvc.Mail;

namespace MailMvc.Web.Infrastructure;

/// <summary>
/// The sentence a page shows for a failed send. In Development, the exception's own message (it names the server,
/// which helps there). Elsewhere, a sentence chosen by the kind of failure that says what happened and what to do,
/// without the SMTP host, port or login name: those are for the log, which always gets the full message.
/// </summary>
public sealed class MailErrorText
{
    private readonly bool _showServerDetails;

    public MailErrorText(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _showServerDetails = environment.IsDevelopment();
    }

    /// <summary>What to tell the person whose mail was not sent.</summary>
    public string Describe(MailDeliveryException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (_showServerDetails)
        {
            return exception.Message;
        }

        return exception switch
        {
            MailServerUnreachableException => "Could not connect to the mail server. Try again later; if it keeps happening, tell the site's administrator.",
            // The SMTP server, or the OAuth2 token service the login waits for: "mail service" covers both.
            MailTimeoutException => "The mail service did not answer in time. Try again in a moment.",
            MailAuthenticationException => "The mail server did not accept this site's login, so nothing was sent. Tell the site's administrator; trying again will not help until that is fixed.",
            MailSecurityException => "A secure connection to the mail server could not be made, so nothing was sent. Tell the site's administrator.",
            MailRecipientRefusedException refused => $"The mail server refused the address {refused.Recipient}, so nothing was sent. Check the address and try again.",
            MailTemporaryFailureException => "The mail server cannot take the mail right now. Try again in a few minutes.",
            _ => "The mail server did not take the mail. Try again later; if it keeps happening, tell the site's administrator.",
        };
    }
}
