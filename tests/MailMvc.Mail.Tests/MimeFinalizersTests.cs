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
    public void Suppress_PartOfAnotherType_KeepsItsFinalizerWhileTheLibrarysPartsGo()
    {
        OwnPart.Finalized = false;
        var tracked = TrackWithOwnPart();

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.True(OwnPart.Finalized);
        Assert.All(tracked, t => Assert.False(t.Reference.IsAlive, $"{t.Name} outlived the collection"));
    }

    [Fact]
    public void MimeKitFinalizer_PartFinalizedWithoutDispose_LeavesItsContentStreamOpen()
    {
        // What suppressing the finalizers relies on: MimeKit's finalizers release nothing (Dispose(false) is empty in
        // MimeMessage, MimeEntity, MimePart, Multipart and MimeContent). Should a MimeKit upgrade make them close the
        // content's stream, this fails, and MimeFinalizers must be read again.
        var stream = new MemoryStream([1, 2, 3]);
        FinalizeAMessageOver(stream);

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.True(stream.CanRead);
        Assert.Equal(1, stream.ReadByte());
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

    /// <summary>A built mail with a part of a type of its own added, taken off the queue again; the library's objects
    /// in it tracked.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<(string Name, WeakReference Reference)> TrackWithOwnPart() => Track(() =>
    {
        var mime = Mail().ToMimeMessage(new MailOptions { DefaultSender = "news@example.com" });
        ((Multipart)mime.Body!).Add(new OwnPart());
        return MimeFinalizers.Suppress(mime);
    }).Where(t => t.Name != "application/x-own").ToList();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinalizeAMessageOver(Stream stream)
    {
        var part = new MimePart("application", "octet-stream") { Content = new MimeContent(stream) };
        _ = new MimeMessage { Body = new Multipart("mixed") { part } };
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
