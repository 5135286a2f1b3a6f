using MailMvc.Templates.Configuration;

namespace MailMvc.Web.Tests.Templates;

/// <summary>A fake checkout: MailMvc.sln and Templates/ at the root, a web project with a build output that
/// holds its own copy of Templates/.</summary>
public sealed class TemplatesFolderLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mailmvc-repo-").FullName;
    private readonly string _project;
    private readonly string _output;

    public TemplatesFolderLocatorTests()
    {
        File.WriteAllText(Path.Combine(_root, "MailMvc.sln"), string.Empty);
        Directory.CreateDirectory(Path.Combine(_root, "Templates"));
        _project = Directory.CreateDirectory(Path.Combine(_root, "src", "MailMvc.Web")).FullName;
        _output = Directory.CreateDirectory(Path.Combine(_project, "bin", "Debug", "net10.0")).FullName;
        Directory.CreateDirectory(Path.Combine(_output, "Templates"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Resolve_DevelopmentRunFromProjectFolder_FindsRepositoryFolder()
    {
        var (path, _) = TemplatesFolderLocator.Resolve(null, _project, _output, preferSource: true);

        Assert.Equal(Path.Combine(_root, "Templates"), path);
    }

    [Fact]
    public void Resolve_DevelopmentWithCopyInContentRoot_PrefersRepositoryFolder()
    {
        var (path, _) = TemplatesFolderLocator.Resolve(null, _output, _output, preferSource: true);

        Assert.Equal(Path.Combine(_root, "Templates"), path);
    }

    [Fact]
    public void Resolve_ProductionWithCopyInContentRoot_UsesContentRootFolder()
    {
        var (path, _) = TemplatesFolderLocator.Resolve(null, _output, _output, preferSource: false);

        Assert.Equal(Path.Combine(_output, "Templates"), path);
    }

    [Fact]
    public void Resolve_ProductionOutsideAnyCheckout_UsesFolderBesideApp()
    {
        var elsewhere = Directory.CreateTempSubdirectory("mailmvc-elsewhere-").FullName;
        try
        {
            var (path, _) = TemplatesFolderLocator.Resolve(null, elsewhere, _output, preferSource: false);

            Assert.Equal(Path.Combine(_output, "Templates"), path);
        }
        finally
        {
            Directory.Delete(elsewhere);
        }
    }

    [Fact]
    public void Resolve_RelativeConfiguredPath_IsUnderContentRoot()
    {
        var (path, _) = TemplatesFolderLocator.Resolve("../../Templates", _project, _output, preferSource: false);

        Assert.Equal(Path.Combine(_root, "Templates"), path);
    }

    [Fact]
    public void Resolve_NoFolderAnywhere_ReturnsNullAndWhereItLooked()
    {
        var elsewhere = Directory.CreateTempSubdirectory("mailmvc-elsewhere-").FullName;
        try
        {
            var (path, searched) = TemplatesFolderLocator.Resolve(null, elsewhere, elsewhere, preferSource: false);

            Assert.Null(path);
            Assert.Contains(Path.Combine(elsewhere, "Templates"), searched);
        }
        finally
        {
            Directory.Delete(elsewhere);
        }
    }
}
