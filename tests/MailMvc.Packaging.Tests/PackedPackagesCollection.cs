namespace MailMvc.Packaging.Tests;

/// <summary>The tests that share one <see cref="PackedPackages"/>: packing takes a while, so it is done once.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packed packages";
}
