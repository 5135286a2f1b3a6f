using MailMvc.Web.Infrastructure;

namespace MailMvc.Web.Tests.Infrastructure;

public sealed class AppPathsTests : IDisposable
{
    private readonly DirectoryInfo _planted = Directory.CreateTempSubdirectory("mailmvc-planted-");

    public void Dispose() => _planted.Delete(recursive: true);

    [Fact]
    public void ChooseContentRoot_Production_AppDirectoryEvenWithASourceRoot()
    {
        var sourceRoot = AppPaths.SourceRoot(typeof(Program).Assembly);

        var root = AppPaths.ChooseContentRoot("Production", AppContext.BaseDirectory, sourceRoot);

        Assert.Equal(AppContext.BaseDirectory, root);
    }

    [Fact]
    public void ChooseContentRoot_DevelopmentDebugBuild_TheRepositoryItWasBuiltFrom()
    {
        var sourceRoot = AppPaths.SourceRoot(typeof(Program).Assembly);
        Assert.False(string.IsNullOrEmpty(sourceRoot), "A Debug build records the repository it was built from.");

        var root = AppPaths.ChooseContentRoot("Development", AppContext.BaseDirectory, sourceRoot);

        Assert.Equal(Path.GetFullPath(sourceRoot), root);
        Assert.True(File.Exists(Path.Combine(root, "src", "MailMvc.Web", "MailMvc.Web.csproj")));
    }

    [Fact]
    public void ChooseContentRoot_DevelopmentSourceRootWithoutTheAppsSources_AppDirectory()
    {
        File.WriteAllText(Path.Combine(_planted.FullName, "MailMvc.sln"), "");
        File.WriteAllText(Path.Combine(_planted.FullName, "appsettings.json"), """{ "Sending": { "AllowAnonymous": true } }""");
        Directory.CreateDirectory(Path.Combine(_planted.FullName, "Templates"));

        var root = AppPaths.ChooseContentRoot("Development", AppContext.BaseDirectory, _planted.FullName);

        Assert.Equal(AppContext.BaseDirectory, root);
    }
}
