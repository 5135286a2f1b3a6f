using MimeKit;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>The pickup-directory transport writing real <c>.eml</c> files.</summary>
public sealed class PickupDirectoryTransportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-pickup-").FullName;

    [Fact]
    public async Task SendAsync_PickupDirectory_WritesParsableEmlWithReceiverLinesForBcc()
    {
        var mailer = new Mailer(new MailOptions
        {
            DeliveryMethod = MailDeliveryMethod.PickupDirectory,
            PickupDirectory = _directory,
            DefaultSender = "sender@example.com",
        });

        await mailer.SendAsync(new Message("Picked up ✓", ["to@example.com"], body: "Hi", bcc: ["hidden@example.com"]));

        var file = Assert.Single(Directory.GetFiles(_directory));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var mime = await MimeMessage.LoadAsync(file);
        Assert.Equal("Picked up ✓", mime.Subject);
        Assert.Equal("<sender@example.com>", mime.Headers["X-Sender"]);
        var receivers = mime.Headers.Where(h => h.Field == "X-Receiver").Select(h => h.Value.Trim()).ToList();
        Assert.Equal(["<to@example.com>", "<hidden@example.com>"], receivers);
        Assert.False(mime.Headers.Contains("Bcc"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
