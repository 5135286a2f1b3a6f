using System.Runtime.CompilerServices;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests;

/// <summary>A mail the library builds, or loads from the outbox, goes at the first collection after its last use, parts
/// and content with it: MimeKit's finalizers (which release nothing) no longer keep it for a second collection. A
/// finalizable object outlives the collection that finds it unreachable, so a weak reference that tracks it until it is
/// reclaimed still sees it then; without a finalizer it is gone.</summary>
public sealed class MimeFinalizersTests
{
    [Fact]
    public void Build_MailWithHtmlInlineImageAndAttachment_EveryPartGoesAtTheFirstCollection()
    {
        var tracked = Track(() => Mail().ToMimeMessage(new MailOptions { DefaultSender = "news@example.com" }));

        GC.Collect();

        // The message; multipart/mixed, alternative and related; the text, the HTML, the logo and the attachment, and
        // the content of each of those four.
        Assert.Equal(12, tracked.Count);
        Assert.All(tracked, t => Assert.False(t.Reference.IsAlive, $"{t.Name} outlived the collection"));
    }

    [Theory]
    [InlineData(true)] // the stored bytes as they are
    [InlineData(false)] // parsed in full
    public void LoadStored_EitherWay_GoesAtTheFirstCollection(bool asStored)
    {
        using var bytes = new MemoryStream();
        Mail().ToMimeMessage(new MailOptions { DefaultSender = "news@example.com" }).WriteTo(WireFormat.Options, bytes);

        var stored = bytes.ToArray();
        var tracked = Track(() => StoredMessage.Load(stored, asStored));

        GC.Collect();

        Assert.Equal(asStored ? 2 : 12, tracked.Count); // as stored: the message and its one body of stored bytes
        Assert.All(tracked, t => Assert.False(t.Reference.IsAlive, $"{t.Name} outlived the collection"));
    }

    [Fact]
    public void Build_InterceptorAddsAPartOfItsOwnType_ThatPartKeepsItsFinalizer()
    {
        OwnPart.Finalized = false;
        AddOwnPartAndForget();

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.True(OwnPart.Finalized);
    }

    private static Message Mail()
    {
        var message = new Message("News", ["zoe@example.com"], body: "Hello Zoe", html: "<p>Hello Zoe <img src=\"cid:logo\"></p>");
        message.AttachInline("logo", "logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47]);
        message.Attach("menu.png", "image/png", [0x89, 0x50, 0x4E, 0x47]);
        return message;
    }

    /// <summary>Long weak references (they follow an object until it is reclaimed, through its finalization) to the
    /// message <paramref name="make"/> makes, its entities and their content, made where no local of the test (which a
    /// Debug build keeps alive to the end of the method) holds them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<(string Name, WeakReference Reference)> Track(Func<MimeMessage> make)
    {
        var message = make();
        var tracked = new List<(string, WeakReference)> { ("the message", new WeakReference(message, trackResurrection: true)) };
        var entities = new List<MimeEntity>();
        Collect(message.Body, entities);
        foreach (var entity in entities)
        {
            tracked.Add((entity.ContentType.MimeType, new WeakReference(entity, trackResurrection: true)));
            if (entity is MimePart { Content: { } content })
            {
                tracked.Add((entity.ContentType.MimeType + " content", new WeakReference(content, trackResurrection: true)));
            }
        }

        return tracked;
    }

    private static void Collect(MimeEntity? entity, List<MimeEntity> into)
    {
        if (entity is null)
        {
            return;
        }

        into.Add(entity);
        if (entity is Multipart multipart)
        {
            foreach (var child in multipart)
            {
                Collect(child, into);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOwnPartAndForget()
    {
        var mime = Mail().ToMimeMessage(new MailOptions { DefaultSender = "news@example.com" });
        ((Multipart)mime.Body!).Add(new OwnPart());
        MimeFinalizers.Suppress(mime);
    }

    private sealed class OwnPart : MimePart
    {
        public static volatile bool Finalized;

        public OwnPart()
            : base("application", "x-own")
        {
        }

        ~OwnPart() => Finalized = true;
    }
}
