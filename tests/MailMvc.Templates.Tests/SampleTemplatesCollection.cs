namespace MailMvc.Templates.Tests;

/// <summary>The tests that share one warmed-up <see cref="SampleTemplatesFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SampleTemplatesCollection : ICollectionFixture<SampleTemplatesFixture>
{
    public const string Name = "Sample templates";
}
