using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MailMvc.Web.Tests.Pages;

/// <summary>What a test does with pages: read them, and fill in forms as a browser would.</summary>
public static class FormPages
{
    public const string TokenField = "__RequestVerificationToken";

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadPageAsync();
    }

    public static async Task<IHtmlDocument> ReadPageAsync(this HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>Opens <paramref name="url"/> (which sets the antiforgery cookie) and returns the token of the
    /// form that posts to <paramref name="action"/>.</summary>
    public static async Task<string> GetTokenAsync(this HttpClient client, string url, string action)
    {
        var page = await client.GetPageAsync(url);
        var form = page.Forms.Single(f => f.GetAttribute("action") == action);
        var token = form.QuerySelector<IHtmlInputElement>($"input[name='{TokenField}']")?.Value;
        Assert.False(string.IsNullOrEmpty(token), $"The form posting to {action} has no antiforgery token.");
        return token;
    }

    public static MultipartFormDataContent Multipart(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        return content;
    }

    public static void AddFile(this MultipartFormDataContent content, string field, string fileName, string contentType, byte[] data)
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        content.Add(file, field, fileName);
    }

    /// <summary>The validation message shown beside the field named <paramref name="field"/>.</summary>
    public static string ErrorBeside(this IHtmlDocument page, string field) =>
        page.QuerySelector($"span.field-error[data-valmsg-for='{field}']")?.TextContent.Trim() ?? "";

    /// <summary>Opens the compose page and sends its form with <paramref name="fields"/> (and the antiforgery token),
    /// plus any files <paramref name="addFiles"/> adds, as a person does.</summary>
    public static async Task<HttpResponseMessage> PostComposeAsync(this HttpClient client, IReadOnlyDictionary<string, string> fields,
        Action<MultipartFormDataContent>? addFiles = null)
    {
        var token = await client.GetTokenAsync("/compose", "/compose");
        using var content = Multipart(fields.Append(new(TokenField, token)));
        addFiles?.Invoke(content);
        return await client.PostAsync("/compose", content);
    }

    /// <summary>Uploads a CSV list on the welcome page, as a person does.</summary>
    public static async Task<HttpResponseMessage> PostListAsync(this HttpClient client, string fileName, string csv)
    {
        var token = await client.GetTokenAsync("/welcome", "/welcome/bulk");
        using var content = Multipart([new(TokenField, token)]);
        content.AddFile("Bulk.List", fileName, "text/csv", System.Text.Encoding.UTF8.GetBytes(csv));
        return await client.PostAsync("/welcome/bulk", content);
    }

    /// <summary>Polls a bulk job's status, as the progress bar does, until it is done (60 s at most).</summary>
    public static async Task<System.Text.Json.JsonElement> WaitForJobAsync(this HttpClient client, string jobUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(jobUrl + "/status")).RootElement;
            if (status.GetProperty("isDone").GetBoolean())
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The list was not done within 60 s: {status}");
            await Task.Delay(100);
        }
    }
}
