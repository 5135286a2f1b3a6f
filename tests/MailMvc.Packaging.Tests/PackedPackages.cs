using System.Globalization;
using System.Security;

namespace MailMvc.Packaging.Tests;

/// <summary>
/// The three libraries packed by <c>dotnet pack</c> into a folder feed, with a version of their own so that no
/// package cache serves an older build, and a folder for consumer apps beside it (outside the repository, so none
/// of its build settings apply) whose NuGet.config reads that feed and the machine's own package sources. Packing
/// takes its build output into the same temporary folder: the repository's bin and obj folders are not touched.
/// Disposing it deletes the folder and the version it put in the machine's package cache.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    /// <summary>The package ids, each packed from <c>src/{id}/{id}.csproj</c>.</summary>
    public static readonly IReadOnlyList<string> Ids = ["MailMvc.Mail", "MailMvc.Mail.Outbox", "MailMvc.Templates"];

    private readonly string _root = Directory.CreateTempSubdirectory("mailmvc-packaging-").FullName;

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; } = "0.0.0-test." + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary>The folder feed that holds the packages.</summary>
    public string Feed => Path.Combine(_root, "feed");

    /// <summary>Where consumer apps are written, each in a folder of its own; nothing else is in it but its
    /// NuGet.config and the files that keep MSBuild from looking in the folders above.</summary>
    public string ConsumersDirectory => Path.Combine(_root, "consumers");

    /// <summary>The path of the package <paramref name="id"/>.</summary>
    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>The path of the symbol package of <paramref name="id"/>.</summary>
    public string SymbolPackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");

    public async Task InitializeAsync()
    {
        var repository = Checkout.Root;
        var artifacts = Path.Combine(_root, "artifacts");
        foreach (var id in Ids)
        {
            await DotNetCli.RunSuccessfullyAsync(repository,
                ["pack", Path.Combine("src", id, id + ".csproj"), "--output", Feed, "--artifacts-path", artifacts,
                 "-p:Version=" + Version, "-nodeReuse:false"]);
        }

        Directory.CreateDirectory(ConsumersDirectory);
        var sources = await MachinePackageSourcesAsync();
        await File.WriteAllTextAsync(Path.Combine(ConsumersDirectory, "NuGet.config"), NuGetConfig(Feed, sources));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(ConsumersDirectory, file), "<Project />\n");
        }
    }

    public Task DisposeAsync()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Ids)
        {
            DeleteDirectory(Path.Combine(cache, id.ToLowerInvariant(), Version.ToLowerInvariant()));
        }

        DeleteDirectory(_root);
        return Task.CompletedTask;
    }

    /// <summary>The enabled package sources of this machine's NuGet configuration, asked from a folder without a
    /// NuGet.config of its own.</summary>
    private async Task<IReadOnlyList<string>> MachinePackageSourcesAsync()
    {
        var output = await DotNetCli.RunSuccessfullyAsync(_root, ["nuget", "list", "source", "--format", "short"]);
        return output.Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();
    }

    private static string NuGetConfig(string feed, IReadOnlyList<string> sources)
    {
        var adds = sources.Select((source, index) => $"""    <add key="machine-{index}" value="{SecurityElement.Escape(source)}" />""");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{SecurityElement.Escape(feed)}" />
            {string.Join('\n', adds)}
              </packageSources>
            </configuration>

            """;
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing the tests over.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
