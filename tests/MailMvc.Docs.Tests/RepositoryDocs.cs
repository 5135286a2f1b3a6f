namespace MailMvc.Docs.Tests;

/// <summary>The repository's docs and samples, read from the source tree the tests were built from.</summary>
internal static class RepositoryDocs
{
    /// <summary>The documents whose C# blocks must be code from the samples project.</summary>
    public static readonly string[] Documents = ["README.md", "docs/architecture.md"];

    public const string SamplesFolder = "samples/MailMvc.Samples";

    /// <summary>The repository root: the first folder above the test assembly that holds MailMvc.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every <c>```csharp</c> block of <paramref name="document"/> (a path under the root), with the line it starts on.</summary>
    public static IReadOnlyList<CodeBlock> CSharpBlocks(string document)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, document));
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            Assert.True(end < lines.Length, $"{document}:{i + 1}: a ```csharp block is never closed.");
            blocks.Add(new CodeBlock(document, start + 1, Significant(lines[start..end])));
            i = end;
        }

        return blocks;
    }

    /// <summary>Every C# file of the samples project, by its path under the root.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> SampleFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root, SamplesFolder), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToDictionary(path => Path.GetRelativePath(Root, path).Replace('\\', '/'), path => (IReadOnlyList<string>)File.ReadAllLines(path));

    /// <summary>The lines that count when code is compared: trimmed, blank ones dropped.</summary>
    public static IReadOnlyList<string> Significant(IEnumerable<string> lines) =>
        lines.Select(line => line.Trim()).Where(line => line.Length > 0).ToList();

    /// <summary>True when <paramref name="needle"/> appears in <paramref name="haystack"/> in order and contiguous.</summary>
    public static bool ContainsRun(IReadOnlyList<string> haystack, IReadOnlyList<string> needle)
    {
        for (var start = 0; start + needle.Count <= haystack.Count; start++)
        {
            var i = 0;
            while (i < needle.Count && string.Equals(haystack[start + i], needle[i], StringComparison.Ordinal))
            {
                i++;
            }

            if (i == needle.Count)
            {
                return true;
            }
        }

        return false;
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MailMvc.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds MailMvc.sln; run the tests from the repository.");
    }
}
