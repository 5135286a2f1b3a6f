namespace MailMvc.Templates.Lint;

/// <summary>What <see cref="EmailLint"/> checks against, bound from <c>EmailTemplates:Lint</c>.</summary>
public sealed class EmailLintOptions
{
    /// <summary>The clients checked when <see cref="TargetClients"/> is empty: Gmail on the web, Outlook on Windows,
    /// Apple Mail on macOS, and the Gmail apps for iOS and Android.</summary>
    public static IReadOnlyList<string> DefaultTargetClients { get; } =
        ["gmail.desktop-webmail", "outlook.windows", "apple-mail.macos", "gmail.ios", "gmail.android"];

    /// <summary>An HTML part larger than this many bytes (UTF-8) is a warning: it is close to Gmail's clipping. 90 KB
    /// by default.</summary>
    public int SizeWarningBytes { get; set; } = 90 * 1024;

    /// <summary>An HTML part larger than this many bytes (UTF-8) is an error: Gmail clips the message and hides the
    /// rest behind "View entire message". 102 KB by default.</summary>
    public int SizeErrorBytes { get; set; } = 102 * 1024;

    /// <summary>
    /// The mail clients a CSS feature must work in, as caniemail's <c>family.platform</c> names
    /// (<c>outlook.windows</c>, <c>apple-mail.ios</c>, <c>outlook.outlook-com</c>, <c>yahoo.desktop-webmail</c>…):
    /// a feature that any of them does not support (in the newest version the data lists) is a warning. Empty (the
    /// default) means <see cref="DefaultTargetClients"/>. An unknown name stops start-up, listing the known ones.
    /// </summary>
    public IList<string> TargetClients { get; } = [];
}
