using System.Security.Cryptography;
using MailMvc.Mail.Dkim;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Tests.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Tests.Dkim;

/// <summary>DKIM signatures checked by an independent verifier (dkimpy) on the mail as the real SMTP server received
/// it: sent directly, queued in the outbox, with attachments, inline images, non-ASCII headers and the unsubscribe
/// headers; and a mail altered after signing fails, so the check can fail.</summary>
public sealed class DkimSigningTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"mailmvc-dkim-{Guid.NewGuid():N}.pem");
    private readonly string _publicKey;

    public DkimSigningTests()
    {
        using var rsa = RSA.Create(2048);
        File.WriteAllText(_keyFile, rsa.ExportPkcs8PrivateKeyPem());
        _publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task SendAsync_DkimConfigured_SignatureVerifiesForTheDomainAndSelector()
    {
        await using var server = await SmtpTestServer.StartAsync();

        await new Mailer(Signed(server)).SendAsync(RichMessage());

        var received = Assert.Single(server.Messages);
        Assert.Equal("pass", await DkimVerifier.VerifyAsync(received.Data, _publicKey));
        var signature = received.Parse().Headers["DKIM-Signature"];
        Assert.Contains("d=example.com", signature, StringComparison.Ordinal);
        Assert.Contains("s=mail2026", signature, StringComparison.Ordinal);
        Assert.Contains("c=relaxed/relaxed", signature, StringComparison.Ordinal);
        Assert.Matches("h=[^;]*list-unsubscribe", signature!.ToLowerInvariant());
    }

    [Fact]
    public async Task SendManyAsync_MailsPipelinedOnOneConnection_EachCarriesOneSignatureThatVerifies()
    {
        // 100 ms a mail: the mails behind the first wait, and go pipelined, each envelope with the previous content.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });

        var results = await new Mailer(Signed(server)).SendManyAsync(Enumerable.Range(0, 4).Select(_ => RichMessage()).ToAsyncEnumerable()).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.True(server.Messages.Count(m => m.NextPipelined) >= 2);
        foreach (var received in server.Messages)
        {
            Assert.Equal("pass", await DkimVerifier.VerifyAsync(received.Data, _publicKey));
            Assert.Single(received.Parse().Headers, h => h.Id == MimeKit.HeaderId.DkimSignature);
        }
    }

    [Fact]
    public async Task SendManyAsync_AsciiMailsLikeTheWelcomeMail_EachSignatureVerifies()
    {
        // As a rendered template gives them: 7-bit text and HTML, the text without a line break at its end, and an ASCII
        // sender. The parts are written from the bytes their check kept, the From header is a copy of one encoded once:
        // the body hash and the header hash must cover what goes on the wire.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        var mails = Enumerable.Range(0, 4).Select(i => new Message($"Welcome, user {i}", [$"user{i}@example.com"],
            body: $"Hello user {i},\nwelcome aboard.", html: $"<html>\n<body><p>Hello user {i}</p></body>\n</html>\n", sender: "News <news@example.com>"));

        var results = await new Mailer(Signed(server)).SendManyAsync(mails.ToAsyncEnumerable()).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.True(server.Messages.Count(m => m.NextPipelined) >= 2);
        foreach (var received in server.Messages)
        {
            Assert.Equal("pass", await DkimVerifier.VerifyAsync(received.Data, _publicKey));
            Assert.Contains("\r\nFrom: News <news@example.com>\r\n", received.Data, StringComparison.Ordinal);
            Assert.Matches("welcome aboard\\.\r\n--", received.Data);
        }
    }

    [Fact]
    public async Task SendAsync_MessageAlteredAfterSigning_VerifierSaysFail()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await new Mailer(Signed(server)).SendAsync(RichMessage());

        var received = Assert.Single(server.Messages).Data;
        var altered = received.Replace("Subject: ", "Subject: Re: ", StringComparison.Ordinal);

        Assert.Equal("pass", await DkimVerifier.VerifyAsync(received, _publicKey));
        Assert.StartsWith("fail", await DkimVerifier.VerifyAsync(altered, _publicKey), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_DkimConfigured_QueuedMailVerifiesAsDelivered()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var file = Path.Combine(Path.GetTempPath(), $"mailmvc-dkim-outbox-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        services.AddLogging();
        var mail = Signed(server);
        services.AddMail(new ConfigurationBuilder().Build(), o =>
        {
            o.Server = mail.Server;
            o.Port = mail.Port;
            o.DefaultSender = mail.DefaultSender;
            o.SuppressSend = false;
            o.DeliveryMethod = MailDeliveryMethod.Smtp;
            o.Dkim = mail.Dkim;
        }).AddOutbox(o => o.UseSqlite($"Data Source={file}").Configure(x => x.PollInterval = TimeSpan.FromMilliseconds(50)));
        await using var provider = services.BuildServiceProvider();
        var worker = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var receipt = await provider.GetRequiredService<IMailer>().SendAsync(RichMessage());
            Assert.Equal(MailDisposition.Queued, receipt.Disposition);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (server.Messages.Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The outbox delivered nothing.");
                await Task.Delay(25);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }

        Assert.Equal("pass", await DkimVerifier.VerifyAsync(Assert.Single(server.Messages).Data, _publicKey));
    }

    [Fact]
    public void Options_KeyFileMissing_StartUpErrorNamesTheSettingAndTheFile()
    {
        var options = new MailOptions { Dkim = { Domain = "example.com", Selector = "s1", PrivateKeyPath = "/nonexistent/dkim.pem" } };

        var result = new MailMvc.Mail.Configuration.MailOptionsValidator().Validate(null, options);

        Assert.Contains("Mail:Dkim:PrivateKeyPath '/nonexistent/dkim.pem' cannot be read", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_KeyIsAPublicKey_StartUpErrorSaysItMustBeAnRsaPrivateKey()
    {
        using var rsa = RSA.Create(2048);
        var options = new MailOptions { Dkim = { Domain = "example.com", Selector = "s1", PrivateKey = rsa.ExportSubjectPublicKeyInfoPem() } };

        var result = new MailMvc.Mail.Configuration.MailOptionsValidator().Validate(null, options);

        Assert.Contains("is not an RSA private key in PEM", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DnsRecord_ConfiguredKey_IsTheTxtRecordWithThePublicKey()
    {
        var options = new DkimOptions { Domain = "example.com", Selector = "mail2026", PrivateKeyPath = _keyFile };

        var record = DkimKey.Load(options).DnsRecord(options);

        Assert.Equal($"mail2026._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p={_publicKey}\"", record);
    }

    public void Dispose() => File.Delete(_keyFile);

    private MailOptions Signed(SmtpTestServer server)
    {
        var options = server.CreateMailOptions();
        options.DefaultSender = "Café Team <news@example.com>";
        options.Dkim = new DkimOptions { Domain = "example.com", Selector = "mail2026", PrivateKeyPath = _keyFile };
        return options;
    }

    private static Message RichMessage()
    {
        var message = new Message("Nouveautés du Café ☕", ["Zoë Ünal <zoe@example.com>"], body: "Bonjour Zoë,\nVoici le menu.",
            html: "<p>Bonjour Zoë, <img src=\"cid:logo\" alt=\"Logo\"></p>",
            extraHeaders: new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = "<https://example.com/unsubscribe/abc>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            });
        message.AttachInline("logo", "logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        message.Attach("menu.txt", "text/plain", "Croissant 2 €\n"u8.ToArray());
        return message;
    }
}
