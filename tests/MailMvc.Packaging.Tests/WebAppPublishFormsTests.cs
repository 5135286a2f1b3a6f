using System.Text.Json;

namespace MailMvc.Packaging.Tests;

/// <summary>The web app's two published forms (README, Deploy): framework-dependent, and self-contained in one
/// composite image.</summary>
public sealed class WebAppPublishFormsTests
{
    [Fact]
    public async Task CompositePublish_BuildsInFoldersOfItsOwn()
    {
        // Arrange: a composite publish rewrites the app's assemblies to point into its image; in shared folders a
        // framework-dependent publish after it shipped them without the image, and the app aborted at start.
        var project = Path.Combine(PackedPackages.FindRepositoryRoot(), "src", "MailMvc.Web", "MailMvc.Web.csproj");
        string[] release = ["-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64"];

        // Act
        var frameworkDependent = await FoldersAsync(project, [.. release, "-p:SelfContained=false"]);
        var composite = await FoldersAsync(project, [.. release, "-p:SelfContained=true", "-p:PublishReadyToRunComposite=true"]);

        // Assert
        Assert.Equal("bin/Release-composite/net10.0/linux-x64/", composite.Output);
        Assert.Equal("obj/Release-composite/net10.0/linux-x64/", composite.Intermediate);
        Assert.DoesNotContain("composite", frameworkDependent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("composite", frameworkDependent.Intermediate, StringComparison.Ordinal);
    }

    /// <summary>Where a build of <paramref name="project"/> with <paramref name="properties"/> writes its output and its
    /// intermediate files, as MSBuild evaluates them.</summary>
    private static async Task<(string Output, string Intermediate)> FoldersAsync(string project, IEnumerable<string> properties)
    {
        var output = await DotNetCli.RunSuccessfullyAsync(Path.GetDirectoryName(project)!,
            ["msbuild", project, "-getProperty:OutDir", "-getProperty:IntermediateOutputPath", .. properties]);
        using var evaluated = JsonDocument.Parse(output);
        var values = evaluated.RootElement.GetProperty("Properties");
        return (values.GetProperty("OutDir").GetString()!, values.GetProperty("IntermediateOutputPath").GetString()!);
    }
}
