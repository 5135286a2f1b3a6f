namespace MailMvc.Packaging.Tests;

/// <summary>The repository these tests run from.</summary>
internal static class Checkout
{
    /// <summary>The folder above the tests that holds MailMvc.sln.</summary>
    /// <exception cref="InvalidOperationException">No folder above them holds it.</exception>
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "MailMvc.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No MailMvc.sln above {AppContext.BaseDirectory}.");
        }
    }
}
