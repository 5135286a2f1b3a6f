namespace MailMvc.Docs.Tests;

/// <summary>The C# in the docs is code the build compiles: every block is quoted from the samples project, and every
/// region the samples mark for the docs is shown.</summary>
public sealed class DocsCodeTests
{
    [Fact]
    public void EveryCSharpBlockInTheDocs_IsCodeFromTheSamplesProject()
    {
        var files = RepositoryDocs.SampleFiles();
        var blocks = RepositoryDocs.Documents.SelectMany(RepositoryDocs.CSharpBlocks).ToList();

        var strays = blocks.Where(block => !files.Values.Any(lines => RepositoryDocs.ContainsRun(RepositoryDocs.Significant(lines), block.Lines)))
            .ToList();

        Assert.NotEmpty(blocks);
        Assert.True(strays.Count == 0,
            "These C# blocks are not code from " + RepositoryDocs.SamplesFolder + " (every non-blank line, trimmed, in order and " +
            "contiguous in one file); copy the code from the samples, or change the samples and build them:\n" +
            string.Join('\n', strays));
    }

    [Fact]
    public void EverySnippetRegionInTheSamples_IsShownInTheDocs()
    {
        var blocks = RepositoryDocs.Documents.SelectMany(RepositoryDocs.CSharpBlocks).ToList();
        var regions = SnippetRegion.All(RepositoryDocs.SampleFiles());

        var unshown = regions.Where(region => !blocks.Any(block => block.Lines.SequenceEqual(region.Lines, StringComparer.Ordinal))).ToList();

        Assert.NotEmpty(regions);
        Assert.True(unshown.Count == 0,
            "These snippet regions are shown by no C# block of " + string.Join(" or ", RepositoryDocs.Documents) +
            " (a block must be the region exactly); show them, or drop their snippet markers:\n" + string.Join('\n', unshown));
    }

    [Fact]
    public void SnippetNames_AreUnique()
    {
        var regions = SnippetRegion.All(RepositoryDocs.SampleFiles());

        var repeated = regions.GroupBy(region => region.Name).Where(group => group.Count() > 1).Select(group => group.Key).ToList();

        Assert.Empty(repeated);
    }
}
