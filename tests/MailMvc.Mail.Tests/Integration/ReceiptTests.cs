using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>Every send returns what became of the mail, and SendManyAsync hands back the caller's state with each result.</summary>
public sealed class ReceiptTests
{
    [Fact]
    public async Task SendAsync_ServerAccepts_ReceiptSaysDeliveredWithTheServerReplyAndEachRecipientOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = new Message("Hi", ["ada@example.com", "ada@example.com"], body: "Hi", bcc: ["bob@example.com"]);

        var receipt = await new Mailer(server.CreateMailOptions()).SendAsync(message);

        Assert.Equal((MailDisposition.Delivered, message.MessageId, null), (receipt.Disposition, receipt.MessageId, receipt.QueueId));
        Assert.Equal(["ada@example.com", "bob@example.com"], receipt.Recipients);
        Assert.Contains("OK: queued", receipt.Reply, StringComparison.Ordinal);
        Assert.Equal(receipt.Recipients, Assert.Single(server.Messages).RcptTos);
    }

    [Fact]
    public async Task SendAsync_PickupDirectory_ReceiptNamesTheFileWritten()
    {
        var folder = Directory.CreateTempSubdirectory("mailmvc-pickup-").FullName;
        try
        {
            var mailer = new Mailer(new MailOptions(), new PickupDirectoryTransport(folder));

            var receipt = await mailer.SendMessageAsync(subject: "Hi", recipients: ["ada@example.com"], body: "Hi", sender: "app@example.com");

            var file = Assert.Single(Directory.GetFiles(folder));
            Assert.Equal((MailDisposition.Delivered, $"written to {file}"), (receipt.Disposition, receipt.Reply));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task SendManyAsync_StateGivenWithEachMessage_ComesBackWithItsResult()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "row3@example.com" });
        var rows = Enumerable.Range(1, 8).Select(row => (new Message($"Row {row}", [$"row{row}@example.com"], body: "Hi"), row)).ToAsyncEnumerable();

        var results = await new Mailer(server.CreateMailOptions()).SendManyAsync(rows, connections: 3).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.State).Order());
        Assert.All(results, r => Assert.Equal($"Row {r.State}", r.Message.Subject));
        var refused = Assert.Single(results, r => !r.IsSent);
        Assert.Equal(3, refused.State);
        Assert.IsType<MailRecipientRefusedException>(refused.Error);
        Assert.All(results.Where(r => r.IsSent), r => Assert.Equal(MailDisposition.Delivered, r.Receipt!.Disposition));
    }

    [Fact]
    public async Task SendManyAsync_UserTransportThrowsAnotherException_EachResultCarriesItAndTheRunCompletes()
    {
        var mailer = new Mailer(new MailOptions { DefaultSender = "app@example.com" }, new BrokenTransport());
        var messages = Enumerable.Range(1, 3).Select(i => new Message($"Row {i}", [$"row{i}@example.com"], body: "Hi")).ToAsyncEnumerable();

        var results = await mailer.SendManyAsync(messages).ToListAsync();

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.IsType<HttpRequestException>(Assert.IsType<MailDeliveryException>(r.Error).InnerException));
        Assert.Contains("The transport (a broken API) failed: 502 Bad Gateway", results[0].Error!.Message, StringComparison.Ordinal);
    }

    private sealed class BrokenTransport : IMailTransport
    {
        public string Description => "a broken API";

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => throw new HttpRequestException("502 Bad Gateway");
    }
}
