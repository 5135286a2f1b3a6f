namespace MailMvc.Web.Tests.Templates;

/// <summary>The tests that share one warmed-up <see cref="EmailTemplatesFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class EmailTemplatesCollection : ICollectionFixture<EmailTemplatesFixture>
{
    public const string Name = "Email templates";
}
