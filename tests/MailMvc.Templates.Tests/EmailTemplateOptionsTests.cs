using MailMvc.Templates.Tests.Models;

namespace MailMvc.Templates.Tests;

public sealed class EmailTemplateOptionsTests
{
    [Fact]
    public void AddModelsFrom_TwoModelsOfOneAssemblyAndNamespace_AddsEachOnce()
    {
        var options = new EmailTemplateOptions();

        options.AddModelsFrom<GreetingModel>().AddModelsFrom<NoteModel>();

        Assert.Equal([typeof(GreetingModel).Assembly], options.ModelAssemblies);
        Assert.Equal(["MailMvc.Templates.Tests.Models"], options.Namespaces);
    }
}
