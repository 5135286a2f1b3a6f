using MailMvc.Templates.Configuration;

namespace MailMvc.Templates.Tests.Configuration;

/// <summary>A content root and an app folder, each of which may hold a <c>Templates</c> folder.</summary>
public sealed class TemplatesFolderLocatorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mailmvc-locator-").FullName;
    private readonly string _contentRoot;
    private readonly string _appDirectory;

    public TemplatesFolderLocatorTests()
    {
        _contentRoot = Directory.CreateDirectory(Path.Combine(_root, "content")).FullName;
        _appDirectory = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Resolve_TemplatesInContentRootAndBesideApp_UsesContentRootFolder()
    {
        var expected = Directory.CreateDirectory(Path.Combine(_contentRoot, "Templates")).FullName;
        Directory.CreateDirectory(Path.Combine(_appDirectory, "Templates"));

        var (path, _) = TemplatesFolderLocator.Resolve(null, _contentRoot, _appDirectory);

        Assert.Equal(expected, path);
    }

    [Fact]
    public void Resolve_NoTemplatesInContentRoot_UsesFolderBesideApp()
    {
        var expected = Directory.CreateDirectory(Path.Combine(_appDirectory, "Templates")).FullName;

        var (path, _) = TemplatesFolderLocator.Resolve(null, _contentRoot, _appDirectory);

        Assert.Equal(expected, path);
    }

    [Fact]
    public void Resolve_RelativeConfiguredPath_IsUnderContentRoot()
    {
        Directory.CreateDirectory(Path.Combine(_contentRoot, "Templates"));

        var (path, searched) = TemplatesFolderLocator.Resolve("../mail", _contentRoot, _appDirectory);

        Assert.Equal(Path.Combine(_root, "mail"), path);
        Assert.Equal([Path.Combine(_root, "mail")], searched);
    }

    [Fact]
    public void Resolve_AbsoluteConfiguredPath_IsUsedAsItIs()
    {
        var configured = Path.Combine(_root, "elsewhere");

        var (path, _) = TemplatesFolderLocator.Resolve(configured, _contentRoot, _appDirectory);

        Assert.Equal(configured, path);
    }

    [Fact]
    public void Resolve_NoFolderAnywhere_ReturnsNullAndWhereItLooked()
    {
        var (path, searched) = TemplatesFolderLocator.Resolve(null, _contentRoot, _appDirectory);

        Assert.Null(path);
        Assert.Equal([Path.Combine(_contentRoot, "Templates"), Path.Combine(_appDirectory, "Templates")], searched);
    }
}
