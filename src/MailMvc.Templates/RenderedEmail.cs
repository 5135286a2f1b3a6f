namespace MailMvc.Templates;

/// <summary>A rendered email: its subject, HTML part and plain-text part.</summary>
/// <param name="Subject">The subject the template set (<c>ViewBag.Subject</c>), or an empty string.</param>
/// <param name="Html">The HTML part, layout included.</param>
/// <param name="Text">The plain-text part, never HTML-encoded.</param>
public sealed record RenderedEmail(string Subject, string Html, string Text)
{
    private Func<string, string>? _deriveText;
    private string? _text = Text;

    /// <summary>A rendered email whose template has no <c>.text</c> twin: the text part is derived from
    /// <paramref name="html"/> by <paramref name="deriveText"/> when first read, so a caller that gives its own text
    /// (<c>with { Text = … }</c>) never pays for the conversion.</summary>
    internal RenderedEmail(string subject, string html, Func<string, string> deriveText)
        : this(subject, html, (string)null!)
    {
        _deriveText = deriveText;
    }

    /// <summary>The plain-text part, never HTML-encoded.</summary>
    public string Text
    {
        get
        {
            if (_text is null && _deriveText is { } derive)
            {
                // A pure function of the HTML: two threads reading it first at once compute the same string.
                _text = derive(Html);
                _deriveText = null;
            }

            return _text!;
        }

        init
        {
            _text = value;
            _deriveText = null;
        }
    }

    /// <summary>The culture of the variant rendered (<c>de</c> for <c>Welcome.de.cshtml</c>), or an empty string for
    /// the template itself.</summary>
    public string Culture { get; init; } = string.Empty;

    /// <summary>Equal when subject, HTML, text and culture are.</summary>
    public bool Equals(RenderedEmail? other) =>
        other is not null && Subject == other.Subject && Html == other.Html && Text == other.Text && Culture == other.Culture;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Subject, Html, Text, Culture);
}
