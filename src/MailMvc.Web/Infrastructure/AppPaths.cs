using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Web.Infrastructure;

/// <summary>
/// Chooses the folder that holds <c>appsettings.json</c>, <c>wwwroot/</c> and <c>Templates/</c>: the app's own folder
/// (<see cref="AppContext.BaseDirectory"/>), where the build and publish copy them. Never a folder found by walking up
/// from the current directory: files planted in a parent folder would replace the settings and run as templates.
/// </summary>
public static class AppPaths
{
    /// <summary>The <see cref="AssemblyMetadataAttribute"/> key under which a Debug build records the repository it was
    /// built from (<c>MailMvc.Web.csproj</c>).</summary>
    public const string SourceRootKey = "MailMvcSourceRoot";

    /// <summary>The content root for this process: see <see cref="ChooseContentRoot"/>.</summary>
    /// <param name="args">The command line the host is given, which may name the environment.</param>
    public static string FindContentRoot(IReadOnlyList<string> args) =>
        ChooseContentRoot(EnvironmentName(args), AppContext.BaseDirectory, SourceRoot(typeof(AppPaths).Assembly));

    /// <summary>
    /// The repository the app was built from when it runs in Development and that folder really holds the app's
    /// files, so templates and static files edited there show without a rebuild (<c>dotnet run --project
    /// src/MailMvc.Web</c>); else <paramref name="appDirectory"/>. The repository's path is written into the assembly
    /// by the build, not looked for at run time: where the app is started from never matters.
    /// </summary>
    /// <param name="environmentName">The host's environment.</param>
    /// <param name="appDirectory">The app's own folder.</param>
    /// <param name="sourceRoot">The repository recorded at build time, if any.</param>
    public static string ChooseContentRoot(string environmentName, string appDirectory, string? sourceRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(appDirectory);
        if (string.Equals(environmentName, Environments.Development, StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(sourceRoot) && HoldsTheAppsSources(sourceRoot))
        {
            return Path.GetFullPath(sourceRoot);
        }

        return appDirectory;
    }

    /// <summary>The repository a Debug build recorded in <paramref name="assembly"/>, or null (a Release build).</summary>
    public static string? SourceRoot(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == SourceRootKey)?.Value;
    }

    /// <summary>The environment as the host will decide it: <c>DOTNET_ENVIRONMENT</c>, then
    /// <c>ASPNETCORE_ENVIRONMENT</c>, then <c>--environment</c>, each later one winning. Read here because the content
    /// root must be given when the builder is created, before its environment exists.</summary>
    private static string EnvironmentName(IReadOnlyList<string> args) =>
        new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine([.. args])
            .Build()[HostDefaults.EnvironmentKey] ?? Environments.Production;

    /// <summary>A checkout of this app: the solution, the web project, the settings, templates and static files.</summary>
    private static bool HoldsTheAppsSources(string folder) =>
        File.Exists(Path.Combine(folder, "MailMvc.sln"))
        && File.Exists(Path.Combine(folder, "src", "MailMvc.Web", "MailMvc.Web.csproj"))
        && File.Exists(Path.Combine(folder, "appsettings.json"))
        && Directory.Exists(Path.Combine(folder, "Templates"))
        && Directory.Exists(Path.Combine(folder, "wwwroot"));
}
