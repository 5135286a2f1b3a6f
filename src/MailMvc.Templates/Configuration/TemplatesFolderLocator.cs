namespace MailMvc.Templates.Configuration;

/// <summary>
/// Finds the templates folder when <see cref="EmailTemplateOptions.TemplatesPath"/> is not set; the order is
/// documented there.
/// </summary>
internal static class TemplatesFolderLocator
{
    internal const string FolderName = "Templates";
    internal const string SolutionFile = "MailMvc.sln";

    /// <summary>Resolves the folder to use.</summary>
    /// <param name="configured">The configured path, if any.</param>
    /// <param name="contentRoot">The host's content root.</param>
    /// <param name="appDirectory">The folder the app runs from.</param>
    /// <param name="preferSource">In Development, the repository's folder wins over the copies.</param>
    /// <returns>The folder found (null when there is none) and every place looked in.</returns>
    public static (string? Path, IReadOnlyList<string> Searched) Resolve(string? configured, string contentRoot, string appDirectory, bool preferSource)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = System.IO.Path.GetFullPath(configured, contentRoot);
            return (path, [path]);
        }

        var inContentRoot = System.IO.Path.Combine(contentRoot, FolderName);
        var besideApp = System.IO.Path.Combine(appDirectory, FolderName);
        IEnumerable<string?> candidates = preferSource
            ? [FindInRepository(contentRoot), FindInRepository(appDirectory), inContentRoot, besideApp]
            : [inContentRoot, FindInRepository(contentRoot), besideApp];

        var searched = candidates.OfType<string>().Select(p => System.IO.Path.GetFullPath(p)).Distinct().ToList();
        return (searched.FirstOrDefault(Directory.Exists), searched);
    }

    /// <summary>The <c>Templates</c> folder beside <c>MailMvc.sln</c> in <paramref name="start"/> or a parent.</summary>
    private static string? FindInRepository(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var templates = System.IO.Path.Combine(dir.FullName, FolderName);
            if (File.Exists(System.IO.Path.Combine(dir.FullName, SolutionFile)) && Directory.Exists(templates))
            {
                return templates;
            }
        }

        return null;
    }
}
