using System.Text.RegularExpressions;
using MailMvc.Templates;
using MailMvc.Web.Tests.Pages;
using MailMvc.Web.Tests.Templates;

namespace MailMvc.Web.Tests.Processes;

/// <summary>The build step (the app run with <see cref="EmailTemplatePrecompiler.Command"/>), then the app itself, as
/// processes: started after the step, the app loads every template compiled and never runs, nor loads, the compiler.</summary>
[Collection(ProcessCollection.Name)]
public sealed partial class PrecompiledTemplatesProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-precompiled-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task App_StartedAfterThePrecompileStep_LoadsEveryTemplateWithoutCompiling()
    {
        var templates = Directory.GetFiles(EmailTemplatesFixture.TemplatesPath, "*.cshtml").Length;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["EmailTemplates__CompiledTemplatesPath"] = Path.Combine(_directory, "compiled-templates"),
            ["EmailTemplates__BaseUrl"] = MailMvcFactory.BaseUrl,
            ["Mail__DeliveryMethod"] = "PickupDirectory",
            ["Mail__PickupDirectory"] = Path.Combine(_directory, "pickup"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__MailMvc.Templates"] = "Information",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };

        var (exitCode, output) = await AppProcess.RunToExitAsync([EmailTemplatePrecompiler.Command], environment, _directory);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"({templates} compiled now, 0 up to date", output, StringComparison.Ordinal);

        await using var app = await AppProcess.StartAsync(environment, _directory);
        await OutboxProcessSteps.WaitUntilAsync(
            () => (WarmUpLine().IsMatch(app.Output), "templates not prepared yet"),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "the templates' warm-up", app);

        var warmUp = WarmUpLine().Match(app.Output);
        var mapped = await File.ReadAllTextAsync($"/proc/{app.Id}/maps");
        Assert.Equal(templates.ToString(System.Globalization.CultureInfo.InvariantCulture), warmUp.Groups["loaded"].Value);
        Assert.Equal("0", warmUp.Groups["compiled"].Value);
        // Nor was RazorLight's compiler made: the Razor language engine it brings (with the C# compiler's references,
        // megabytes of memory) is not even loaded into the app.
        Assert.DoesNotContain("Microsoft.AspNetCore.Razor.Language.dll", mapped, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Prepared \d+ email template files .*: (?<loaded>\d+) loaded from .*, (?<compiled>\d+) compiled")]
    private static partial Regex WarmUpLine();
}
