// <snippet:wrapper>
using MailMvc.Mail;
using MailMvc.Mail.Transport;

namespace MailMvc.Samples.Extensions;

// WrapTransport<FailoverTransport>() passes the transport registered before it as `primary`.
public sealed class FailoverTransport(IMailTransport primary, HttpApiTransport secondary) : IMailTransport
{
    public string Description => $"{primary.Description}, else {secondary.Description}";

    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await primary.OpenAsync(cancellationToken);
        }
        catch (MailDeliveryException e) when (e.IsConnectionFailure)
        {
            return await secondary.OpenAsync(cancellationToken);
        }
    }
}
// </snippet:wrapper>
