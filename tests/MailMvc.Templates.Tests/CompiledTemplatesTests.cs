using MailMvc.Templates.Tests.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates.Tests;

/// <summary>Templates saved compiled (<see cref="EmailTemplateOptions.CompiledTemplatesPath"/>) and loaded by a later
/// renderer, as an app restarted after the build step loads them; each test has its own templates and folder.</summary>
public sealed class CompiledTemplatesTests : IDisposable
{
    private static readonly GreetingModel s_tom = new("Tom & Jerry <b>", "tom@example.com");

    private readonly TemplateFolder _templates = new();
    private readonly string _compiled = Directory.CreateTempSubdirectory("mailmvc-compiled-").FullName;

    public void Dispose()
    {
        _templates.Dispose();
        Directory.Delete(_compiled, recursive: true);
    }

    [Fact]
    public async Task RenderAsync_TemplatesSavedByAnEarlierRenderer_LoadsThemWithoutCompiling()
    {
        var first = CreateRenderer();
        await first.WarmUpAsync();
        var expected = await first.RenderAsync("Greeting", s_tom);

        var second = CreateRenderer();
        var rendered = await second.RenderAsync("Greeting", s_tom);

        Assert.Equal(TemplateFileCount, Directory.GetFiles(_compiled, "*.dll").Length);
        Assert.Equal(0, second.CompilationCount);
        // Nor is RazorLight's compiler made (the Razor language engine, the C# compiler's references): megabytes of
        // memory and a tenth of a second of start-up an app with its templates compiled at build time never needs.
        Assert.False(second.IsCompilerCreated);
        Assert.True(first.IsCompilerCreated);
        Assert.Equal(expected, rendered);
        Assert.Contains("Tom &amp; Jerry &lt;b&gt;", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Tom & Jerry <b>", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_TemplateEditedSinceItWasSaved_CompilesTheEditedOneOnly()
    {
        await CreateRenderer().WarmUpAsync();
        await File.AppendAllTextAsync(_templates.File("Greeting.cshtml"), "\n<p>Edited after the build</p>\n");

        var renderer = CreateRenderer();
        var rendered = await renderer.RenderAsync("Greeting", s_tom);

        Assert.Contains("Edited after the build", rendered.Html, StringComparison.Ordinal);
        Assert.Equal(1, renderer.CompilationCount);
        Assert.True(renderer.IsCompilerCreated);
        Assert.Equal(TemplateFileCount + 1, Directory.GetFiles(_compiled, "*.dll").Length);
    }

    [Fact]
    public async Task RenderAsync_ModelAssemblyFileGoneWhenATemplateMustCompile_SaysSoRendersWhatWasSavedAndCompilesOnceTheFileIsBack()
    {
        // A model assembly loaded from a file that is gone by the time a template must compile (replaced by a deployment, say).
        var folder = Directory.CreateTempSubdirectory("mailmvc-model-").FullName;
        var file = Path.Combine(folder, Path.GetFileName(typeof(FactAttribute).Assembly.Location));
        File.Copy(typeof(FactAttribute).Assembly.Location, file);
        var context = new System.Runtime.Loader.AssemblyLoadContext("model copy", isCollectible: true);
        var options = SampleTemplates.Options(_templates.Path, reloadOnChange: false, _compiled);
        options.ModelAssemblies.Add(context.LoadFromAssemblyPath(file));
        try
        {
            await new RazorLightEmailRenderer(Options.Create(options), NullLogger<RazorLightEmailRenderer>.Instance).WarmUpAsync();
            await File.AppendAllTextAsync(_templates.File("Greeting.cshtml"), "\n<p>Edited after the build</p>\n");
            File.Delete(file);
            var renderer = new RazorLightEmailRenderer(Options.Create(options), NullLogger<RazorLightEmailRenderer>.Instance);

            var ready = await renderer.WarmUpAsync();
            var saved = await renderer.RenderAsync("Note", new NoteModel("Hi", "Body & soul"));
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => renderer.RenderAsync("Greeting", s_tom));
            File.Copy(typeof(FactAttribute).Assembly.Location, file);
            var edited = await renderer.RenderAsync("Greeting", s_tom);

            // Every file but the edited one loads as the build saved it; that one cannot compile while the file is gone.
            Assert.Equal(TemplateFileCount - 1, ready);
            Assert.Contains("Body &amp; soul", saved.Html, StringComparison.Ordinal);
            Assert.StartsWith("The email template 'Greeting' cannot be compiled. The email template compiler could not be set up (",
                failure.Message, StringComparison.Ordinal);
            Assert.Contains("EmailTemplates:ModelAssemblies", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Edited after the build", edited.Html, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task RenderAsync_ModelAssembliesDifferFromWhenSaved_CompilesAfresh()
    {
        await CreateRenderer().WarmUpAsync();
        var options = SampleTemplates.Options(_templates.Path, reloadOnChange: false, _compiled);
        options.ModelAssemblies.Add(typeof(FactAttribute).Assembly);
        var renderer = new RazorLightEmailRenderer(Options.Create(options), NullLogger<RazorLightEmailRenderer>.Instance);

        await renderer.RenderAsync("Greeting", s_tom);

        Assert.True(renderer.CompilationCount > 0);
    }

    [Fact]
    public async Task RenderAsync_SavedAssemblyCorrupt_CompilesTheTemplateInstead()
    {
        await CreateRenderer().WarmUpAsync();
        foreach (var file in Directory.GetFiles(_compiled, "*.dll"))
        {
            await File.WriteAllTextAsync(file, "not an assembly");
        }

        var renderer = CreateRenderer();
        var rendered = await renderer.RenderAsync("Greeting", s_tom);

        Assert.Contains("Tom &amp; Jerry", rendered.Html, StringComparison.Ordinal);
        Assert.True(renderer.CompilationCount > 0);
    }

    [Fact]
    public async Task WarmUpAsync_FolderCannotBeCreated_RendersAndSavesNothing()
    {
        var blocked = Path.Combine(_compiled, "a-file");
        await File.WriteAllTextAsync(blocked, "in the way");
        var renderer = CreateRenderer(compiledTemplatesPath: Path.Combine(blocked, "compiled"));

        var compiled = await renderer.WarmUpAsync();
        var rendered = await renderer.RenderAsync("Greeting", s_tom);

        Assert.Equal(TemplateFileCount, compiled);
        Assert.Contains("Tom &amp; Jerry", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ReloadOnWithTemplatesSaved_LoadsThemWithoutCompiling()
    {
        await CreateRenderer().WarmUpAsync();

        var renderer = CreateRenderer(reloadOnChange: true);
        await renderer.WarmUpAsync();
        var rendered = await renderer.RenderAsync("Greeting", s_tom);

        Assert.Equal(0, renderer.CompilationCount);
        Assert.False(renderer.IsCompilerCreated);
        Assert.Contains("Tom &amp; Jerry &lt;b&gt;", rendered.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ReloadOnTemplateEditedAfterItWasLoaded_ShowsTheEditCompilingOnlyThatFile()
    {
        await CreateRenderer().WarmUpAsync();
        var renderer = CreateRenderer(reloadOnChange: true);
        await renderer.WarmUpAsync();
        var before = await renderer.RenderAsync("Greeting", s_tom);

        await File.AppendAllTextAsync(_templates.File("Greeting.cshtml"), "\n<p>Edited while running</p>\n");
        var after = await renderer.RenderAsync("Greeting", s_tom);

        Assert.DoesNotContain("Edited while running", before.Html, StringComparison.Ordinal);
        Assert.Contains("Edited while running", after.Html, StringComparison.Ordinal);
        Assert.Equal(1, renderer.CompilationCount);
    }

    [Fact]
    public async Task RenderAsync_ReloadOnTemplateEditedBackToItsSavedSource_LoadsTheSavedOneAgain()
    {
        await CreateRenderer().WarmUpAsync();
        var renderer = CreateRenderer(reloadOnChange: true);
        var file = _templates.File("Greeting.cshtml");
        var original = await File.ReadAllTextAsync(file);
        await File.AppendAllTextAsync(file, "\n<p>Tried and undone</p>\n");
        await renderer.RenderAsync("Greeting", s_tom);

        await File.WriteAllTextAsync(file, original);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));
        var rendered = await renderer.RenderAsync("Greeting", s_tom);

        Assert.DoesNotContain("Tried and undone", rendered.Html, StringComparison.Ordinal);
        Assert.Equal(1, renderer.CompilationCount);
    }

    [Fact]
    public async Task Precompiler_RunAgainByALaterBuild_CompilesNothingAndDeletesWhatNoTemplateNeeds()
    {
        var stale = Path.Combine(_compiled, new string('a', 64) + ".dll");
        var crashedWrite = Path.Combine(_compiled, new string('b', 64) + ".dll.0123.tmp");
        var someoneElses = Path.Combine(_compiled, "notes.dll");
        await File.WriteAllTextAsync(stale, "from an older build");
        await File.WriteAllTextAsync(crashedWrite, "half written");
        await File.WriteAllTextAsync(someoneElses, "not ours");
        using var first = new StringWriter();
        using var second = new StringWriter();

        await using (var build = CreateServices())
        {
            Assert.Equal(0, await EmailTemplatePrecompiler.RunAsync(build, first));
        }

        await using (var laterBuild = CreateServices())
        {
            Assert.Equal(0, await EmailTemplatePrecompiler.RunAsync(laterBuild, second));
        }

        Assert.Contains($"{TemplateFileCount} compiled now, 0 up to date, 2 old files deleted", first.ToString(), StringComparison.Ordinal);
        Assert.Contains($"0 compiled now, {TemplateFileCount} up to date, 0 old files deleted", second.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(crashedWrite));
        Assert.True(File.Exists(someoneElses));
    }

    [Fact]
    public async Task RenderAsync_LayoutNamedWithoutExtension_LoadsTheSavedLayout()
    {
        await File.WriteAllTextAsync(_templates.File("Plain.cshtml"),
            "@model NoteModel\n@{ Layout = \"_Layout\"; ViewBag.Subject = Model.Subject; }\n<p>@Model.Body</p>\n");
        await CreateRenderer().WarmUpAsync();

        var renderer = CreateRenderer();
        var rendered = await renderer.RenderAsync("Plain", new NoteModel("Hi", "Body & soul"));

        Assert.Equal(0, renderer.CompilationCount);
        Assert.False(renderer.IsCompilerCreated);
        Assert.Contains("<p>Body &amp; soul</p>", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("<html", rendered.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Precompiler_TemplateThatDoesNotCompile_FailsNamingFileAndLine()
    {
        await File.WriteAllTextAsync(_templates.File("Broken.cshtml"), "<p>fine</p>\n@{ int count = \"not a number\"; }\n");
        await using var services = CreateServices();
        using var output = new StringWriter();

        var exitCode = await EmailTemplatePrecompiler.RunAsync(services, output);

        Assert.Equal(1, exitCode);
        Assert.Contains("Broken.cshtml(2,", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Precompiler_NoFolderConfigured_SaysWhichSettingToSet()
    {
        await using var services = CreateServices(compiledTemplatesPath: null);
        using var output = new StringWriter();

        var exitCode = await EmailTemplatePrecompiler.RunAsync(services, output);

        Assert.Equal(1, exitCode);
        Assert.Contains("EmailTemplates:CompiledTemplatesPath", output.ToString(), StringComparison.Ordinal);
    }

    private int TemplateFileCount => _templates.FileCount;

    private RazorLightEmailRenderer CreateRenderer(bool reloadOnChange = false, string? compiledTemplatesPath = null) =>
        _templates.CreateRenderer(reloadOnChange, compiledTemplatesPath ?? _compiled);

    private ServiceProvider CreateServices(string? compiledTemplatesPath = "") =>
        new ServiceCollection()
            .AddLogging()
            .AddEmailTemplates(options =>
            {
                SampleTemplates.Configure(options, _templates.Path);
                options.ReloadOnChange = false;
                options.CompiledTemplatesPath = compiledTemplatesPath == "" ? _compiled : compiledTemplatesPath;
            })
            .BuildServiceProvider();
}
