using MailMvc.Templates.Css;

namespace MailMvc.Templates.Tests.Lint;

public sealed class CssParserTests
{
    [Fact]
    public void ParseSheet_RulesMediaAndComments_KeepsEachAsWritten()
    {
        var rules = CssParser.ParseSheet("""
            /* base */ body { margin: 0; -webkit-text-size-adjust: 100% !important; }
            @media only screen and (max-width: 620px) { .email-content { padding: 24px 20px !important; } }
            @font-face { font-family: X; src: url("x;y.woff"); }
            """);

        Assert.Equal(["body", null, null], rules.Select(r => r.Selector));
        Assert.Equal(new CssDeclaration("-webkit-text-size-adjust", "100%", Important: true), rules[0].Declarations[1]);
        Assert.Equal(("media", "only screen and (max-width: 620px)"), (rules[1].AtKeyword, rules[1].Prelude));
        Assert.Equal(".email-content", Assert.Single(rules[1].Rules).Selector);
        Assert.StartsWith("@media only screen", rules[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("}", rules[1].Text, StringComparison.Ordinal);
        Assert.Equal("url(\"x;y.woff\")", rules[2].Declarations[1].Value);
    }

    [Fact]
    public void ParseDeclarations_SemicolonInsideUrl_StaysInTheValue()
    {
        var declarations = CssParser.ParseDeclarations("background:url(data:image/png;base64,AAA) no-repeat; COLOR : red");

        Assert.Equal([new("background", "url(data:image/png;base64,AAA) no-repeat", false), new("color", "red", false)], declarations);
    }
}
