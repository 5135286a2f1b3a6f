using System.Text.Json;

namespace MailMvc.Web.Tests.Pages;

/// <summary>What the bulk list tests do as a person would: check a list, post the job page's buttons, read its status.</summary>
public static class BulkListSteps
{
    /// <summary>Uploads a list with "Check this list" (nothing is sent).</summary>
    public static async Task<HttpResponseMessage> CheckListAsync(this HttpClient client, string fileName, string csv)
    {
        var token = await client.GetTokenAsync("/welcome", "/welcome/bulk");
        using var content = FormPages.Multipart([new(FormPages.TokenField, token), new("mode", "check")]);
        content.AddFile("Bulk.List", fileName, "text/csv", System.Text.Encoding.UTF8.GetBytes(csv));
        return await client.PostAsync("/welcome/bulk", content);
    }

    /// <summary>Clicks one of the job page's buttons (<c>start</c>, <c>pause</c>, <c>resume</c>, <c>cancel</c>).</summary>
    public static async Task<HttpResponseMessage> PostJobAsync(this HttpClient client, string jobUrl, string action,
        params KeyValuePair<string, string>[] fields)
    {
        var token = await client.GetTokenAsync(jobUrl, $"{jobUrl}/{action}");
        using var content = new FormUrlEncodedContent([new(FormPages.TokenField, token), .. fields]);
        return await client.PostAsync($"{jobUrl}/{action}", content);
    }

    public static async Task<JsonElement> GetStatusAsync(this HttpClient client, string jobUrl) =>
        JsonDocument.Parse(await client.GetStringAsync(jobUrl + "/status")).RootElement;

    /// <summary>Polls the status until <paramref name="condition"/> holds (30 s at most, unless <paramref name="timeout"/> says).</summary>
    public static async Task<JsonElement> WaitForStatusAsync(this HttpClient client, string jobUrl, Func<JsonElement, bool> condition, string what,
        TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = await client.GetStatusAsync(jobUrl);
            if (condition(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Waited {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s for {what} in vain: {status}");
            await Task.Delay(50);
        }
    }

    public static int Count(this JsonElement status, string name) => status.GetProperty(name).GetInt32();
}
