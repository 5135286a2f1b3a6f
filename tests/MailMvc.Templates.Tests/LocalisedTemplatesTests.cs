using System.Globalization;
using MailMvc.Templates.Tests.Models;

namespace MailMvc.Templates.Tests;

/// <summary>Per-culture variants (<c>Greeting.de.cshtml</c>) chosen by the culture a mail is rendered in, falling back
/// as ASP.NET Core's request localisation does.</summary>
[Collection(SampleTemplatesCollection.Name)]
public sealed class LocalisedTemplatesTests(SampleTemplatesFixture fixture)
{
    private static readonly GreetingModel s_ada = new("Ada", "ada@example.com");

    [Fact]
    public async Task RenderAsync_CultureWithAVariant_RendersTheVariantWithItsSubjectAndText()
    {
        var email = await fixture.Renderer.RenderAsync("Greeting", s_ada, CultureInfo.GetCultureInfo("de"));

        Assert.Equal("Hallo, Ada", email.Subject);
        Assert.Contains("<h1>Hallo, Ada!</h1>", email.Html, StringComparison.Ordinal);
        Assert.StartsWith("Hallo, Ada!", email.Text, StringComparison.Ordinal);
        Assert.Equal("de", email.Culture);
    }

    [Fact]
    public async Task RenderAsync_RegionalCulture_FallsBackToItsLanguageAndFormatsInTheRegionalCulture()
    {
        var email = await fixture.Renderer.RenderAsync("Greeting", s_ada, CultureInfo.GetCultureInfo("de-CH"));

        Assert.Equal("Hallo, Ada", email.Subject);
        Assert.Equal("de", email.Culture);
        Assert.Contains(new DateTime(2026, 12, 1).ToString("D", CultureInfo.GetCultureInfo("de-CH")), email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_CultureWithoutAVariant_RendersTheTemplateItself()
    {
        var email = await fixture.Renderer.RenderAsync("Greeting", s_ada, CultureInfo.GetCultureInfo("fr-CA"));

        Assert.Equal("Hello, Ada", email.Subject);
        Assert.Equal(string.Empty, email.Culture);
    }

    [Fact]
    public async Task RenderAsync_NoCulture_RendersTheTemplateItselfAndLeavesTheCallersCulture()
    {
        var before = CultureInfo.CurrentCulture;
        await fixture.Renderer.RenderAsync("Greeting", s_ada, CultureInfo.GetCultureInfo("de"));
        var email = await fixture.Renderer.RenderAsync("Greeting", s_ada);

        Assert.Equal("Hello, Ada", email.Subject);
        Assert.Equal(before, CultureInfo.CurrentCulture);
    }
}
