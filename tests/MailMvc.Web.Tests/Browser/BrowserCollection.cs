namespace MailMvc.Web.Tests.Browser;

/// <summary>The browser test classes run one after another (each with its own app, SMTP server and browser),
/// so two Chromiums never compete for the machine's cores.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
