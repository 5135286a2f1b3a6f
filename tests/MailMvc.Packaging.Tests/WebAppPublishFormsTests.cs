using System.Text.Json;

namespace MailMvc.Packaging.Tests;

/// <summary>The web app's published forms (README, Deploy): framework-dependent, and self-contained in one composite
/// image. A composite publish rewrites the app's assemblies to point into its image; sharing its build folders, a
/// framework-dependent publish after it shipped those assemblies without the image, and that app aborted at start.</summary>
public sealed class WebAppPublishFormsTests
{
    private static readonly string[] s_release = ["-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64"];

    [Theory]
    [InlineData("-p:PublishReadyToRunComposite=true")]
    [InlineData("-p:PublishSingleFile=true")]
    public async Task WebAppPublish_SelfContainedComposite_BuildsApartFromFrameworkDependent(string composite)
    {
        // Arrange
        var project = Path.Combine(Checkout.Root, "src", "MailMvc.Web", "MailMvc.Web.csproj");

        // Act
        var frameworkDependent = await FoldersAsync(project, [.. s_release, "-p:SelfContained=false"]);
        var selfContained = await FoldersAsync(project, [.. s_release, "-p:SelfContained=true", composite]);

        // Assert
        Assert.Equal("bin/Release/net10.0/linux-x64/", frameworkDependent.Output);
        Assert.Equal("obj/Release/net10.0/linux-x64/", frameworkDependent.Intermediate);
        Assert.Equal("bin/Release-composite/net10.0/linux-x64/", selfContained.Output);
        Assert.Equal("obj/Release-composite/net10.0/linux-x64/", selfContained.Intermediate);
    }

    /// <summary>Where a build of <paramref name="project"/> with <paramref name="properties"/> writes its output and its
    /// intermediate files, as MSBuild evaluates them (with forward slashes: MSBuild mixes them on Unix).</summary>
    private static async Task<(string Output, string Intermediate)> FoldersAsync(string project, IEnumerable<string> properties)
    {
        var output = await DotNetCli.RunSuccessfullyAsync(Path.GetDirectoryName(project)!,
            ["msbuild", project, "-getProperty:OutDir", "-getProperty:IntermediateOutputPath", .. properties]);
        var json = output.IndexOf('{', StringComparison.Ordinal) is var start and >= 0
            ? output[start..]
            : throw new InvalidOperationException($"MSBuild printed no properties:\n{output}");
        using var evaluated = JsonDocument.Parse(json);
        var values = evaluated.RootElement.GetProperty("Properties");
        return (Slashes(values.GetProperty("OutDir").GetString()), Slashes(values.GetProperty("IntermediateOutputPath").GetString()));
    }

    private static string Slashes(string? path) => (path ?? "").Replace('\\', '/');
}
