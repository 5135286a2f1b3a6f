using System.Net;
using System.Text;
using MailMvc.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The error page answers only real error codes; a body too large or malformed gets a sentence, not a 200 or a 500.</summary>
public sealed class ErrorPageTests(MailMvcFactory factory) : IClassFixture<MailMvcFactory>
{
    [Theory]
    [InlineData("/error/200")]
    [InlineData("/error/302")]
    [InlineData("/error/299")]
    [InlineData("/error/999")]
    [InlineData("/error")]
    public async Task GetError_StatusThatIsNotAnErrorCode_Answers404(string url)
    {
        using var response = await factory.CreateBrowser().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(413)]
    [InlineData(503)]
    public async Task GetError_RealErrorCode_AnswersThatCode(int status)
    {
        using var response = await factory.CreateBrowser().GetAsync($"/error/{status}");

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
    }

    [Fact]
    public async Task PostError_StatusInAFormFieldOrQuery_CannotSetTheStatus()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "200" });

        using var response = await factory.CreateBrowser().PostAsync("/error?status=201", content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostCompose_BodyLargerThanTheLimit_Answers413WithASentenceAndSendsNothing()
    {
        using var outbox = factory.Services.GetRequiredService<IMailer>().RecordMessages();

        using var response = await factory.CreateBrowser().PostComposeAsync(
            new Dictionary<string, string> { ["To"] = "ann@example.com", ["Subject"] = "Big", ["Message"] = "Too big" },
            content => content.AddFile("Attachments", "big.bin", "application/octet-stream", new byte[70 * 1024 * 1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains("larger than this page accepts", page.QuerySelector(".error-sentence")?.TextContent, StringComparison.Ordinal);
        Assert.Empty(outbox.Messages);
    }

    [Fact]
    public async Task PostCompose_MalformedMultipartBody_Answers400WithASentence()
    {
        var client = factory.CreateBrowser();
        var token = await client.GetTokenAsync("/compose", "/compose");
        // The body stops in the middle of a part: no closing boundary.
        using var content = new StringContent(
            $"--cut\r\nContent-Disposition: form-data; name=\"{FormPages.TokenField}\"\r\n\r\n{token}\r\n--cut\r\nContent-Disposition: form-data; name=\"To\"\r\n\r\nann@exa",
            Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=cut");

        using var response = await client.PostAsync("/compose", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains("incomplete or malformed", page.QuerySelector(".error-sentence")?.TextContent, StringComparison.Ordinal);
    }
}
