namespace MailMvc.Templates.Configuration;

/// <summary>
/// Finds the templates folder from <see cref="EmailTemplateOptions.TemplatesPath"/>, the content root and the
/// app's folder; the order is documented there.
/// </summary>
internal static class TemplatesFolderLocator
{
    internal const string FolderName = "Templates";

    /// <summary>Resolves the folder to use.</summary>
    /// <param name="configured">The configured path, if any; a relative one is under <paramref name="contentRoot"/>.</param>
    /// <param name="contentRoot">The host's content root.</param>
    /// <param name="appDirectory">The folder the app runs from.</param>
    /// <returns>The folder found (null when there is none) and every place looked in.</returns>
    public static (string? Path, IReadOnlyList<string> Searched) Resolve(string? configured, string contentRoot, string appDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = System.IO.Path.GetFullPath(configured, contentRoot);
            return (path, [path]);
        }

        var searched = new[] { contentRoot, appDirectory }
            .Select(root => System.IO.Path.GetFullPath(System.IO.Path.Combine(root, FolderName)))
            .Distinct()
            .ToList();
        return (searched.FirstOrDefault(Directory.Exists), searched);
    }
}
