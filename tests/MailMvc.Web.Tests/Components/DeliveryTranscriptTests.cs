using Bunit;
using MailMvc.Web.Components;

namespace MailMvc.Web.Tests.Components;

public sealed class DeliveryTranscriptTests : BunitContext
{
    private IRenderedComponent<DeliveryTranscript> RenderTranscript(string? transcript) =>
        Render<DeliveryTranscript>(p => p.Add(c => c.Transcript, transcript));

    [Fact]
    public void Render_Exchange_MarksClientAndServerLines()
    {
        var transcript = RenderTranscript("Connected to localhost:25\nS: 220 mail.example.com ESMTP\nC: EHLO app\nS: 250 OK\n");

        transcript.Find("pre.transcript").MarkupMatches("""
            <pre class="transcript"><span class="note">Connected to localhost:25</span>
            <span class="server">S: 220 mail.example.com ESMTP</span>
            <span class="client">C: EHLO app</span>
            <span class="server">S: 250 OK</span>
            </pre>
            """);
    }

    [Theory]
    [InlineData("S: 550 5.1.1 No such user")]
    [InlineData("S: 451 4.3.0 Try again later")]
    public void Render_FailureReply_MarksItAsError(string reply)
    {
        var transcript = RenderTranscript($"C: RCPT TO:<nobody@example.com>\n{reply}\n");

        var error = Assert.Single(transcript.FindAll("span.error"));
        Assert.Equal(reply, error.TextContent);
        Assert.False(transcript.Find("span.client").ClassList.Contains("error"));
    }

    [Fact]
    public void Render_SuccessReply_IsNotAnError()
    {
        var transcript = RenderTranscript("S: 250 2.1.5 OK\n");

        Assert.Empty(transcript.FindAll(".error"));
    }

    [Fact]
    public void Render_MarkupInServerReply_ShowsItAsText()
    {
        var transcript = RenderTranscript("S: 550 <script>alert(1)</script>\n");

        Assert.Empty(transcript.FindAll("script"));
        Assert.Equal("S: 550 <script>alert(1)</script>", transcript.Find("span.error").TextContent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Render_NoTranscript_HintsToTurnOnDebug(string? empty)
    {
        var transcript = RenderTranscript(empty);

        Assert.Contains("turn on Mail:Debug", transcript.Find("p.transcript-empty").TextContent, StringComparison.Ordinal);
        Assert.Empty(transcript.FindAll("pre"));
    }
}
