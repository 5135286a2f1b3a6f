using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace MailMvc.Mail.Transport;

/// <summary>The body of a stored mail as the bytes it was stored as (everything after the blank line that ends the
/// top-level headers, those headers being the message's own): written as they are, never parsed into parts.</summary>
/// <remarks>Used only for a mail <see cref="StoredMessage"/> found to need no re-encoding, so preparing it for any
/// transport's constraints has nothing to do.</remarks>
internal sealed class StoredBody : MimeEntity
{
    private readonly ReadOnlyMemory<byte> _content;

    public StoredBody(ReadOnlyMemory<byte> content) : base(new ContentType("application", "octet-stream"))
    {
        // The Content-* headers stay among the message's, in their place: this entity writes no headers of its own.
        Headers.Clear();
        _content = content;
    }

    /// <summary>Nothing to do: <see cref="StoredMessage"/> uses this body only for content that fits every constraint
    /// as it is (7-bit, short lines, each part already in a transfer encoding that needs no change).</summary>
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stream);
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.Write(_content.Span);
            return;
        }

        using var filtered = new FilteredStream(stream);
        filtered.Add(new Dos2UnixFilter());
        filtered.Write(_content.Span);
        filtered.Flush(cancellationToken);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stream);
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            await stream.WriteAsync(_content, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var filtered = new FilteredStream(stream);
        filtered.Add(new Dos2UnixFilter());
        await filtered.WriteAsync(_content, cancellationToken).ConfigureAwait(false);
        await filtered.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
