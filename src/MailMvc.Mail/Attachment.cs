namespace MailMvc.Mail;

/// <summary>A file attached to a <see cref="Message"/>, Flask-Mail's <c>Attachment</c>.</summary>
public sealed class Attachment
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly Stream? _stream;

    internal Attachment(string? fileName, string contentType, ReadOnlyMemory<byte> data, Stream? stream,
        string disposition, IReadOnlyDictionary<string, string>? headers, string? contentId)
    {
        FileName = fileName;
        ContentType = contentType;
        _data = data;
        _stream = stream;
        Disposition = disposition;
        Headers = headers ?? new Dictionary<string, string>();
        ContentId = contentId;
    }

    /// <summary>The file name shown to the recipient, or null for none.</summary>
    public string? FileName { get; }

    /// <summary>The MIME type, for example <c>application/pdf</c>.</summary>
    public string ContentType { get; }

    /// <summary><c>attachment</c> or <c>inline</c>.</summary>
    public string Disposition { get; }

    /// <summary>Extra MIME headers for this part.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The Content-ID an HTML body refers to as <c>cid:…</c>, for inline images.</summary>
    public string? ContentId { get; }

    /// <summary>True for an inline part with a Content-ID, which is placed in multipart/related beside the HTML.</summary>
    public bool IsInlineResource => ContentId is not null && string.Equals(Disposition, "inline", StringComparison.OrdinalIgnoreCase);

    /// <summary>The content, when it was attached as bytes.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Opens the content for reading. A stream attachment is rewound when it can seek.</summary>
    public Stream OpenRead()
    {
        if (_stream is null)
        {
            return new MemoryStream(_data.ToArray(), writable: false);
        }

        if (_stream.CanSeek)
        {
            _stream.Position = 0;
        }

        return _stream;
    }

}
