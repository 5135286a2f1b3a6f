using System.IO.Compression;
using System.Xml.Linq;

namespace MailMvc.Packaging.Tests;

/// <summary>What each packed package carries, read from the .nupkg as a zip file.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class PackageContentsTests(PackedPackages packages)
{
    public static TheoryData<string> Ids => new(PackedPackages.Ids);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Package_Packed_CarriesReadmeXmlDocsAndMetadata(string id)
    {
        // Arrange
        using var package = ZipFile.OpenRead(packages.PackagePath(id));

        // Act
        var entries = package.Entries.Select(entry => entry.FullName).ToList();
        var metadata = Nuspec(package, id);

        // Assert
        Assert.Contains("README.md", entries);
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.Equal(packages.Version, metadata["version"]);
        Assert.Equal("README.md", metadata["readme"]);
        Assert.Equal("MIT", metadata["license"]);
        Assert.False(string.IsNullOrWhiteSpace(metadata["description"]));
        Assert.False(string.IsNullOrWhiteSpace(metadata["authors"]));
        Assert.Contains("email", metadata["tags"]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void SymbolPackage_Packed_CarriesThePdb(string id)
    {
        // Arrange
        using var symbols = ZipFile.OpenRead(packages.SymbolPackagePath(id));

        // Act
        var entries = symbols.Entries.Select(entry => entry.FullName).ToList();

        // Assert
        Assert.Contains($"lib/net10.0/{id}.pdb", entries);
    }

    [Fact]
    public void TemplatesPackage_Packed_CarriesBuildFilesThatPreserveCompilationContext()
    {
        // Arrange
        using var package = ZipFile.OpenRead(packages.PackagePath("MailMvc.Templates"));

        // Act
        var entries = package.Entries.Select(entry => entry.FullName).ToList();
        var props = XDocument.Load(package.GetEntry("buildTransitive/MailMvc.Templates.props")!.Open());

        // Assert
        Assert.Contains("build/MailMvc.Templates.props", entries);
        Assert.Contains("build/MailMvc.Templates.targets", entries);
        Assert.Contains("buildTransitive/MailMvc.Templates.targets", entries);
        Assert.Equal("true", props.Descendants("PreserveCompilationContext").Single().Value);
    }

    /// <summary>The nuspec's metadata elements by name (a repeated one, such as dependency, keeps the first).</summary>
    private static Dictionary<string, string> Nuspec(ZipArchive package, string id)
    {
        using var stream = package.GetEntry($"{id}.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(element => element.Name.LocalName == "metadata");
        return metadata.Elements()
            .GroupBy(element => element.Name.LocalName)
            .ToDictionary(group => group.Key, group => group.First().Value);
    }
}
