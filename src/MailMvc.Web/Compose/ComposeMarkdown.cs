using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MailMvc.Web.Compose;

/// <summary>
/// A message typed in Markdown as mail HTML. Raw HTML is not passed through: <c>&lt;script&gt;</c> typed in the
/// message arrives as the text "&lt;script&gt;" (Markdig's <c>DisableHtml</c>), and a link or image to anything but
/// http, https or mailto becomes its plain text, so a typed <c>javascript:</c> link cannot reach a mailbox.
/// </summary>
public static class ComposeMarkdown
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .Build();

    /// <summary>The HTML of <paramref name="markdown"/>.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, s_pipeline);
        foreach (var link in document.Descendants<LinkInline>().Where(link => !IsSafe(link.Url)).ToList())
        {
            var child = link.FirstChild;
            while (child is not null)
            {
                var next = child.NextSibling;
                child.Remove();
                link.InsertBefore(child);
                child = next;
            }

            link.Remove();
        }

        return document.ToHtml(s_pipeline);
    }

    private static bool IsSafe(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeMailto);
}
