namespace MailMvc.Packaging.Tests;

/// <summary>
/// A consumer's console app as someone who installed the packages would write it: the files of HelloApp/ (copied
/// beside the tests) and a project file that references MailMvc.Mail and MailMvc.Templates at the packed version,
/// and nothing else.
/// </summary>
internal sealed class ConsumerApp
{
    private const string SourceFolder = "HelloApp";

    private readonly PackedPackages _packages;

    private ConsumerApp(PackedPackages packages, string directory)
    {
        _packages = packages;
        ProjectDirectory = directory;
    }

    /// <summary>The app's project folder.</summary>
    public string ProjectDirectory { get; }

    /// <summary>Writes the app into a new folder <paramref name="name"/> beside the other consumer apps.</summary>
    public static ConsumerApp Create(PackedPackages packages, string name)
    {
        var directory = Path.Combine(packages.ConsumersDirectory, name);
        var source = Path.Combine(AppContext.BaseDirectory, SourceFolder);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        File.WriteAllText(Path.Combine(directory, SourceFolder + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MailMvc.Mail" Version="{packages.Version}" />
                <PackageReference Include="MailMvc.Templates" Version="{packages.Version}" />
              </ItemGroup>
            </Project>

            """);
        return new ConsumerApp(packages, directory);
    }

    /// <summary>
    /// <c>dotnet run</c>s the app with <paramref name="arguments"/>, from the consumer apps' folder: its content root
    /// then has no Templates folder, so it renders the templates the build copied beside it, as an installed app does.
    /// </summary>
    /// <param name="arguments">The app's arguments.</param>
    /// <param name="buildProperties">MSBuild properties (<c>Name=Value</c>) for its build.</param>
    /// <returns>Its exit code and output, the build's included.</returns>
    public Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, IEnumerable<string>? buildProperties = null) =>
        DotNetCli.RunAsync(_packages.ConsumersDirectory,
            ["run", "--project", ProjectDirectory, .. (buildProperties ?? []).Select(property => "--property:" + property),
             "-nodeReuse:false", "--", .. arguments],
            new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" });
}
