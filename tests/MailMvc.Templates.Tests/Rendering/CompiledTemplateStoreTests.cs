using MailMvc.Templates.Rendering;
using MailMvc.Templates.Tests.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailMvc.Templates.Tests.Rendering;

public sealed class CompiledTemplateStoreTests : IDisposable
{
    private readonly TemplateFolder _templates = new();

    public void Dispose() => _templates.Dispose();

    [Fact]
    public void AssemblyPathFor_OtherAssembliesCompiledAgainst_NamesAnotherFile()
    {
        var project = new EmailTemplateProject(_templates.Path, reloadOnChange: false);
        var directory = Path.Combine(_templates.Path, "compiled");
        var library = typeof(RazorLightEmailRenderer).Assembly;

        var withModels = new CompiledTemplateStore(project, directory, [library, typeof(GreetingModel).Assembly], NullLogger.Instance);
        var withoutModels = new CompiledTemplateStore(project, directory, [library], NullLogger.Instance);

        Assert.NotEqual(withoutModels.AssemblyPathFor("Greeting.cshtml"), withModels.AssemblyPathFor("Greeting.cshtml"));
    }
}
