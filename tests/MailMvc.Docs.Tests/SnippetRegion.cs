using System.Text.RegularExpressions;

namespace MailMvc.Docs.Tests;

/// <summary>A region of a samples file between <c>// &lt;snippet:name&gt;</c> and <c>// &lt;/snippet:name&gt;</c>: code the docs
/// quote.</summary>
/// <param name="Name">The snippet's name.</param>
/// <param name="File">The file's path under the repository root.</param>
/// <param name="Lines">Its significant lines: trimmed, blank ones dropped.</param>
internal sealed partial record SnippetRegion(string Name, string File, IReadOnlyList<string> Lines)
{
    /// <summary>Every region of every samples file.</summary>
    public static IReadOnlyList<SnippetRegion> All(IReadOnlyDictionary<string, IReadOnlyList<string>> files)
    {
        var regions = new List<SnippetRegion>();
        foreach (var (file, lines) in files)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (Start().Match(lines[i]) is not { Success: true } start)
                {
                    continue;
                }

                var name = start.Groups["name"].Value;
                var end = i + 1;
                while (end < lines.Count && lines[end].Trim() != $"// </snippet:{name}>")
                {
                    end++;
                }

                Assert.True(end < lines.Count, $"{file}:{i + 1}: snippet '{name}' is never closed with // </snippet:{name}>.");
                regions.Add(new SnippetRegion(name, file, RepositoryDocs.Significant(lines.Skip(i + 1).Take(end - i - 1))));
                i = end;
            }
        }

        return regions;
    }

    public override string ToString() => $"{File} (snippet:{Name})";

    [GeneratedRegex(@"^\s*// <snippet:(?<name>[a-z0-9-]+)>\s*$")]
    private static partial Regex Start();
}
