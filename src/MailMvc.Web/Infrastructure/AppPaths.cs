namespace MailMvc.Web.Infrastructure;

/// <summary>
/// Finds the folder that holds <c>appsettings.json</c>, <c>wwwroot/</c> and <c>Templates/</c>: the repository
/// root when the app runs from a checkout (so edits show without a rebuild), else the app's own folder,
/// where the build and publish copy them.
/// </summary>
public static class AppPaths
{
    private const string SolutionFile = "MailMvc.sln";

    /// <summary>The content root to run with.</summary>
    public static string FindContentRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)) && File.Exists(Path.Combine(dir.FullName, "appsettings.json")))
                {
                    return dir.FullName;
                }
            }
        }

        return AppContext.BaseDirectory;
    }
}
