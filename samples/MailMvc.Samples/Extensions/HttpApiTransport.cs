// <snippet:custom-transport>
using System.Net.Http.Headers;
using MailMvc.Mail;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Samples.Extensions;

// HTTP keeps no connection open, so the transport is its own session.
public sealed class HttpApiTransport(IHttpClientFactory clients) : IMailTransport, IMailTransportSession
{
    public string Description => "the mail API";
    public bool IsUsable => true;
    public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        using var mime = new MemoryStream();
        await message.WriteToAsync(mime, cancellationToken);
        using var content = new ByteArrayContent(mime.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        content.Headers.Add("X-Envelope-To", envelope.Recipients.Select(r => r.Address)); // Bcc is in no header
        using var response = await PostAsync(content, cancellationToken);
        var reply = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        if ((int)response.StatusCode is 429 or >= 500)
        {
            throw new MailTemporaryFailureException($"The mail API answered {reply}; it may take the mail later.", reply);
        }

        return response.IsSuccessStatusCode ? new TransportReceipt(reply)
            : throw new MailDeliveryException($"The mail API refused the message: {reply}.", reply); // not retried
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            return await clients.CreateClient(nameof(HttpApiTransport)).PostAsync("messages", content, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Like an unreachable SMTP server: transient, and about the API, not this message.
            throw new MailServerUnreachableException($"The mail API cannot be reached: {e.Message}", null, e);
        }
    }
}
// </snippet:custom-transport>
