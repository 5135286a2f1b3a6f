using MailMvc.Templates.Rendering;

namespace MailMvc.Templates.Tests.Rendering;

public sealed class HtmlTextConverterTests
{
    [Fact]
    public void Convert_Link_WritesTextThenUrlInParentheses()
    {
        var text = HtmlTextConverter.Convert("<p>Read <a href=\"https://example.com/docs\">the docs</a> first.</p>");

        Assert.Equal("Read the docs (https://example.com/docs) first.", text);
    }

    [Fact]
    public void Convert_LinkWhoseTextIsItsAddress_WritesAddressOnce()
    {
        var text = HtmlTextConverter.Convert("<p><a href=\"https://example.com/\">https://example.com</a> or <a href=\"mailto:a@example.com\">a@example.com</a></p>");

        Assert.Equal("https://example.com or a@example.com", text);
    }

    [Fact]
    public void Convert_ParagraphsHeadingsAndBreaks_BecomeLines()
    {
        var text = HtmlTextConverter.Convert("<h1>Title</h1><p>one<br>two</p><div><p>three</p></div>");

        Assert.Equal("Title\n\none\ntwo\n\nthree", text);
    }

    [Fact]
    public void Convert_ListItems_BecomeMarkedLines()
    {
        var text = HtmlTextConverter.Convert("<p>Start:</p><ul><li>first</li><li><a href=\"https://x.test/\">second</a></li></ul><ol><li>a</li><li>b</li></ol>");

        Assert.Equal("Start:\n\n- first\n- second (https://x.test/)\n\n1. a\n2. b", text);
    }

    [Fact]
    public void Convert_HeadStylesAndHiddenPreheader_AreLeftOut()
    {
        var html = "<html><head><title>Subject</title><style>p { color: red; }</style></head><body>" +
            "<div style=\"display: none; max-height:0\">Preview text&#8199;&#847;</div><table><tr><td><p>Body</p></td></tr></table></body></html>";

        var text = HtmlTextConverter.Convert(html);

        Assert.Equal("Body", text);
    }

    [Fact]
    public void Convert_EntitiesAndWhitespace_AreDecodedAndCollapsed()
    {
        var text = HtmlTextConverter.Convert("<p>  Tom &amp;\n   Jerry &lt;b&gt;&nbsp;&#233;  </p>");

        Assert.Equal("Tom & Jerry <b> é", text);
    }

    [Fact]
    public void Convert_Image_KeepsAltText()
    {
        var text = HtmlTextConverter.Convert("<p><img src=\"logo.png\" alt=\"MailMvc logo\">Hello</p><p><a href=\"https://x.test/\"><img src=\"b.png\"></a></p>");

        Assert.Equal("MailMvc logo Hello\n\nhttps://x.test/", text);
    }

    [Fact]
    public void Convert_TableRowsAndCells_StartNewLines()
    {
        var text = HtmlTextConverter.Convert("<table><tr><td>Header</td></tr><tr><td><p>Body</p></td></tr><tr><td>Footer</td></tr></table>");

        Assert.Equal("Header\n\nBody\n\nFooter", text);
    }
}
