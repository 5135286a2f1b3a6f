using MimeKit;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>Mails with inline images as the real server receives them: the HTML once, as the root of
/// multipart/related, beside the images it names by <c>cid:</c>.</summary>
public sealed class InlineImageMimeTests
{
    private static readonly byte[] s_png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static TheoryData<bool, bool> Shapes => new()
    {
        { false, false },
        { true, false },
        { false, true },
        { true, true },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task SendAsync_InlineImage_HtmlOnceAsTheRelatedRootBesideTheImage(bool withText, bool withAttachment)
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = new Message("Logo", ["a@example.com"], body: withText ? "Our logo" : null, html: "<p><img src=\"cid:logo\" alt=\"Logo\"></p>");
        message.AttachInline("logo", "logo.png", "image/png", s_png);
        if (withAttachment)
        {
            message.Attach("terms.txt", "text/plain", "terms"u8.ToArray());
        }

        await new Mailer(server.CreateMailOptions()).SendAsync(message);

        var received = Assert.Single(server.Messages).Parse();
        var parts = received.BodyParts.ToList();
        var html = Assert.Single(parts, p => p.ContentType.IsMimeType("text", "html"));
        var related = Assert.Single(Entities(received.Body!).OfType<MultipartRelated>());
        Assert.Same(html, related.Root);
        Assert.Equal(2, related.Count);
        var image = Assert.Single(parts, p => p.ContentType.IsMimeType("image", "png"));
        Assert.Equal("logo", image.ContentId);
        Assert.Equal(withText ? "Our logo" : "", received.TextBody?.TrimEnd() ?? "");
        Assert.Equal(withAttachment ? "multipart/mixed" : "multipart/alternative", received.Body!.ContentType.MimeType);
        Assert.Equal(withAttachment ? ["terms.txt"] : [], received.Attachments.Select(a => a.ContentDisposition?.FileName));
    }

    private static IEnumerable<MimeEntity> Entities(MimeEntity entity) =>
        entity is Multipart multipart ? multipart.SelectMany(Entities).Prepend(entity) : [entity];
}
