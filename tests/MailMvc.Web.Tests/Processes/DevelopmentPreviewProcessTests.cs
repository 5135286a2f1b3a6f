using System.Diagnostics;
using MailMvc.Templates;
using MailMvc.Web.Tests.Templates;

namespace MailMvc.Web.Tests.Processes;

/// <summary>The app as <c>dotnet run</c> starts it in Development (the launch profile's settings), after the build step
/// saved the templates compiled: the first preview loads them instead of waiting for the C# compiler, and an edited
/// template still shows on the next preview.</summary>
[Collection(ProcessCollection.Name)]
public sealed class DevelopmentPreviewProcessTests : IDisposable
{
    // Loaded, the first preview takes a few hundred milliseconds; compiled by Roslyn, 2.4 s on an idle 2-core machine.
    // The log line below tells the two apart; the budget is the user's view of it, with room for a loaded machine (a full
    // test run on 2 cores once took 1,012 ms against the 1 s this was).
    private static readonly TimeSpan s_firstPreviewBudget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_warmUpTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-dev-preview-").FullName;
    private readonly string _templates;
    private readonly Dictionary<string, string> _environment;

    public DevelopmentPreviewProcessTests()
    {
        // A copy of the templates, so the edit below never touches the repository's.
        _templates = Directory.CreateDirectory(Path.Combine(_directory, "Templates")).FullName;
        foreach (var file in Directory.EnumerateFiles(EmailTemplatesFixture.TemplatesPath))
        {
            File.Copy(file, Path.Combine(_templates, Path.GetFileName(file)));
        }

        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["EmailTemplates__TemplatesPath"] = _templates,
            ["EmailTemplates__CompiledTemplatesPath"] = Path.Combine(_directory, "compiled-templates"),
            ["Mail__DeliveryMethod"] = "PickupDirectory",
            ["Mail__PickupDirectory"] = Path.Combine(_directory, "pickup"),
            ["BulkWelcome__DatabasePath"] = Path.Combine(_directory, "bulk.db"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            // The start-up warm-up's line: how many template files it loaded compiled and how many it compiled.
            ["Logging__LogLevel__MailMvc.Templates.RazorLightEmailRenderer"] = "Information",
        };
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task FirstPreview_DevelopmentStartAfterTheBuildSavedTheTemplates_LoadsThemAndAnswersWithinTwoSeconds()
    {
        await RunTheBuildStepAsync();

        await using var app = await AppProcess.StartAsync(_environment, _directory);
        var listening = Stopwatch.GetElapsedTime(app.StartedAt);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var requested = Stopwatch.GetTimestamp();
        var page = await client.GetStringAsync("dev/mail/Welcome/default");
        var answered = Stopwatch.GetElapsedTime(requested);
        var fromStart = Stopwatch.GetElapsedTime(app.StartedAt);

        await OutboxProcessSteps.WaitUntilAsync(() => (WarmUpLine(app) is not null, "templates not prepared yet"),
            TimeSpan.FromMilliseconds(50), s_warmUpTimeout, "the templates' warm-up", app);
        var warmedUp = WarmUpLine(app)!;

        Assert.Contains("Welcome to MailMvc, Ada Lovelace", page, StringComparison.Ordinal);
        Assert.Contains(", 0 compiled", warmedUp, StringComparison.Ordinal);
        Assert.True(answered < s_firstPreviewBudget,
            $"The first preview took {answered.TotalMilliseconds:0} ms (the app listened {listening.TotalMilliseconds:0} ms after its " +
            $"start, the preview was there {fromStart.TotalMilliseconds:0} ms after it). App output:\n{app.Output}");
    }

    [Fact]
    public async Task NextPreview_TemplateEditedAfterTheFirstPreview_ShowsTheEdit()
    {
        await RunTheBuildStepAsync();
        await using var app = await AppProcess.StartAsync(_environment, _directory);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        var before = await client.GetStringAsync("dev/mail/Welcome/default/html");

        await File.AppendAllTextAsync(Path.Combine(_templates, "Welcome.cshtml"), "\n<p>Edited while the app runs</p>\n");
        var after = await client.GetStringAsync("dev/mail/Welcome/default/html");

        Assert.DoesNotContain("Edited while the app runs", before, StringComparison.Ordinal);
        Assert.Contains("Edited while the app runs", after, StringComparison.Ordinal);
    }

    /// <summary>The start-up warm-up's line (how many template files it loaded and compiled), once the app wrote it.</summary>
    private static string? WarmUpLine(AppProcess app) =>
        app.Output.Split('\n').FirstOrDefault(line => line.Contains("email template files from", StringComparison.Ordinal));

    /// <summary>What <c>Directory.Build.targets</c> runs after each build.</summary>
    private async Task RunTheBuildStepAsync()
    {
        var (exitCode, output) = await AppProcess.RunToExitAsync(
            [EmailTemplatePrecompiler.Command, "--EmailTemplates:ReloadOnChange=false"], _environment, _directory);
        Assert.True(exitCode == 0, output);
    }
}
