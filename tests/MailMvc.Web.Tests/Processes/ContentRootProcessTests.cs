using System.Net;
using MailMvc.Web.Tests.Pages;

namespace MailMvc.Web.Tests.Processes;

/// <summary>The content root never comes from a parent of the working directory: a <c>MailMvc.sln</c> and an
/// <c>appsettings.json</c> planted there change nothing.</summary>
[Collection(ProcessCollection.Name)]
public sealed class ContentRootProcessTests : IDisposable
{
    private readonly DirectoryInfo _parent = Directory.CreateTempSubdirectory("mailmvc-parent-");

    public void Dispose() => _parent.Delete(recursive: true);

    [Fact]
    public async Task App_StartedBelowAFolderWithPlantedSettings_DoesNotUseThem()
    {
        // The marker: planted settings that open the sending pages to anyone.
        await File.WriteAllTextAsync(Path.Combine(_parent.FullName, "MailMvc.sln"), "");
        await File.WriteAllTextAsync(Path.Combine(_parent.FullName, "appsettings.json"), """{ "Sending": { "AllowAnonymous": true } }""");
        var templates = Directory.CreateDirectory(Path.Combine(_parent.FullName, "Templates"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Templates")))
        {
            File.Copy(file, Path.Combine(templates.FullName, Path.GetFileName(file)));
        }

        var workingDirectory = Directory.CreateDirectory(Path.Combine(_parent.FullName, "work", "here")).FullName;

        await using var app = await AppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["EmailTemplates__BaseUrl"] = MailMvcFactory.BaseUrl,
            ["Mail__SuppressSend"] = "true",
            ["BulkWelcome__DatabasePath"] = Path.Combine(_parent.FullName, "bulk.db"),
            ["Mail__Suppression__DatabasePath"] = Path.Combine(_parent.FullName, "suppressions.db"),
        }, workingDirectory);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };

        using var compose = await client.GetAsync("compose");

        Assert.True(compose.StatusCode == HttpStatusCode.NotFound, $"The planted settings were used: /compose answered {compose.StatusCode}. App output:\n{app.Output}");
    }
}
