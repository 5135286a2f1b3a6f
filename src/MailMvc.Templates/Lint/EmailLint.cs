using System.Buffers;
using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MailMvc.Templates.Css;
using MailMvc.Templates.Lint.CanIEmail;

namespace MailMvc.Templates.Lint;

/// <summary>
/// Checks a rendered mail for what breaks in mailboxes: an HTML part over Gmail's clipping size, images without
/// <c>alt</c>, empty, <c>javascript:</c> or <c>http:</c> links, links the text part lacks, a missing text part, and CSS
/// that a target client does not support (from the caniemail data set, shipped inside this library). Each finding says
/// what to do about it. Thread-safe; one instance can be shared (<c>AddEmailTemplates</c> registers one).
/// </summary>
/// <example>
/// <code>
/// var findings = new EmailLint().Lint(await renderer.RenderAsync("Welcome", model));
/// Assert.DoesNotContain(findings, f =&gt; f.Severity == EmailLintSeverity.Error);
/// </code>
/// </example>
public sealed class EmailLint
{
    private static readonly SearchValues<char> s_schemeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

    private readonly int _sizeWarningBytes;
    private readonly int _sizeErrorBytes;
    private readonly IReadOnlyList<string> _targets;

    /// <summary>A lint with the default options (<see cref="EmailLintOptions"/>).</summary>
    public EmailLint()
        : this(new EmailLintOptions())
    {
    }

    /// <summary>A lint with <paramref name="options"/>.</summary>
    /// <param name="options">Size budget and target clients.</param>
    /// <exception cref="ArgumentException">A target client is not in the caniemail data set, or the size budget is
    /// not positive with the warning below the error.</exception>
    public EmailLint(EmailLintOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Validate(options) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _sizeWarningBytes = options.SizeWarningBytes;
        _sizeErrorBytes = options.SizeErrorBytes;
        _targets = options.TargetClients.Count == 0 ? EmailLintOptions.DefaultTargetClients : options.TargetClients.Distinct().ToList();
    }

    /// <summary>The clients CSS is checked against, as <c>family.platform</c> names.</summary>
    public IReadOnlyList<string> TargetClients => _targets;

    /// <summary>Checks one rendered mail.</summary>
    /// <param name="email">The mail, as <see cref="IEmailRenderer.RenderAsync{TModel}(string, TModel, CancellationToken)"/> returns it.</param>
    /// <returns>Every finding, errors first; empty when the mail is fine.</returns>
    public IReadOnlyList<EmailLintFinding> Lint(RenderedEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var findings = new List<EmailLintFinding>();
        CheckSize(email.Html, findings);
        if (string.IsNullOrWhiteSpace(email.Text))
        {
            findings.Add(new(EmailLintSeverity.Error, "text-missing",
                "The mail has no text part: some clients, screen readers and spam filters need one. Add a .text.cshtml twin, or give the HTML text the renderer can derive one from."));
        }

        if (!string.IsNullOrWhiteSpace(email.Html))
        {
            var document = new HtmlParser().ParseDocument(email.Html);
            CheckImages(document, findings);
            CheckLinks(document, email.Text ?? string.Empty, findings);
            CheckCss(document, findings);
        }

        return findings.OrderByDescending(finding => finding.Severity).ToList();
    }

    /// <summary>
    /// Renders every case and checks each: the one call a test suite needs to fail on a template that would break in
    /// a mailbox. A case whose template is missing or does not compile is reported as an error finding (rule
    /// <c>render</c>), so one run lists every problem.
    /// </summary>
    /// <param name="renderer">The renderer, usually from the app's container.</param>
    /// <param name="cases">The cases, such as every preview case of every template.</param>
    /// <param name="cancellationToken">Stops before the next case.</param>
    /// <returns>A report per case, in the order given.</returns>
    /// <example>
    /// <code>
    /// var reports = await lint.LintAllAsync(renderer, cases);
    /// Assert.True(!reports.Any(r =&gt; r.HasErrors), string.Join("\n", reports.Where(r =&gt; r.HasErrors)));
    /// </code>
    /// </example>
    public async Task<IReadOnlyList<EmailLintReport>> LintAllAsync(IEmailRenderer renderer, IEnumerable<EmailLintCase> cases,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(cases);
        var reports = new List<EmailLintReport>();
        foreach (var lintCase in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<EmailLintFinding> findings;
            try
            {
                findings = Lint(await lintCase.Render(renderer, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception exception) when (exception is EmailTemplateCompilationException or TemplateNotFoundException)
            {
                findings = [new(EmailLintSeverity.Error, "render", exception.Message)];
            }

            reports.Add(new EmailLintReport(lintCase.Template, lintCase.Name, findings));
        }

        return reports;
    }

    /// <summary>What is wrong with <paramref name="options"/>, in a sentence naming the setting; null when nothing.</summary>
    internal static string? Validate(EmailLintOptions options)
    {
        if (options.SizeWarningBytes <= 0 || options.SizeErrorBytes < options.SizeWarningBytes)
        {
            return $"EmailTemplates:Lint:SizeWarningBytes ({options.SizeWarningBytes}) must be above 0 and at most EmailTemplates:Lint:SizeErrorBytes ({options.SizeErrorBytes}).";
        }

        var unknown = options.TargetClients.Where(client => !EmailLintOptions.DefaultTargetClients.Contains(client)
            && !CanIEmailData.Default.Clients.ContainsKey(client)).ToList();
        return unknown.Count == 0 ? null
            : $"EmailTemplates:Lint:TargetClients names {string.Join(", ", unknown)}, which the caniemail data does not know; use family.platform names from: {string.Join(", ", CanIEmailData.Default.Clients.Keys)}.";
    }

    private void CheckSize(string html, List<EmailLintFinding> findings)
    {
        var bytes = Encoding.UTF8.GetByteCount(html ?? string.Empty);
        if (bytes > _sizeErrorBytes)
        {
            findings.Add(new(EmailLintSeverity.Error, "size",
                $"The HTML part is {Kb(bytes)}; Gmail clips mails above {Kb(_sizeErrorBytes)} and hides the rest (the unsubscribe link too) behind \"View entire message\". Shorten the content or move long parts to a web page."));
        }
        else if (bytes > _sizeWarningBytes)
        {
            findings.Add(new(EmailLintSeverity.Warning, "size",
                $"The HTML part is {Kb(bytes)}, close to Gmail's clipping at {Kb(_sizeErrorBytes)}: longer names or content may push it over."));
        }
    }

    private static void CheckImages(IDocument document, List<EmailLintFinding> findings)
    {
        foreach (var image in document.Images.Where(image => !image.HasAttribute("alt")))
        {
            findings.Add(new(EmailLintSeverity.Error, "image-alt",
                $"The image {Describe(image.GetAttribute("src"))} has no alt text: Outlook blocks images by default and screen readers read the file name. Add alt=\"…\" saying what it shows, or alt=\"\" if it is decoration."));
        }
    }

    private static void CheckLinks(IDocument document, string text, List<EmailLintFinding> findings)
    {
        var missingInText = new List<string>();
        foreach (var link in document.QuerySelectorAll("a[href], area[href]"))
        {
            var href = link.GetAttribute("href")!.Trim();
            var label = Describe(link.TextContent.Trim() is { Length: > 0 } content ? content : link.GetAttribute("title"));
            if (href.Length == 0 || href == "#")
            {
                findings.Add(new(EmailLintSeverity.Error, "link-empty", $"The link {label} goes nowhere (href=\"{href}\"): give it the address it should open."));
            }
            else if (href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new(EmailLintSeverity.Error, "link-javascript",
                    $"The link {label} is a javascript: link; mail clients run no scripts and some mark the mail as dangerous. Link to a web page instead."));
            }
            else if (HasScheme(href) && Uri.TryCreate(href, UriKind.Absolute, out var uri))
            {
                if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                {
                    findings.Add(new(EmailLintSeverity.Warning, "link-http",
                        $"The link {label} uses http: ({href}); browsers warn about it and some clients rewrite or block it. Use https:."));
                }

                if ((uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !text.Contains(href, StringComparison.Ordinal)
                    && !missingInText.Contains(href))
                {
                    missingInText.Add(href);
                }
            }
            else if (!HasScheme(href))
            {
                findings.Add(new(EmailLintSeverity.Error, "link-relative",
                    $"The link {label} is relative ({href}); a mail has no address of its own to resolve it against, so it goes nowhere. Write the full https:// address (templates have ViewBag.BaseUrl)."));
            }
        }

        foreach (var href in missingInText)
        {
            findings.Add(new(EmailLintSeverity.Warning, "link-not-in-text",
                $"The HTML links to {href}, but the text part does not mention it: readers of the text part cannot follow it. Add the address to the .text.cshtml twin."));
        }
    }

    private void CheckCss(IDocument document, List<EmailLintFinding> findings)
    {
        var usage = new CssUsage();
        foreach (var style in document.QuerySelectorAll("style"))
        {
            usage.AddSheet(CssParser.ParseSheet(style.TextContent));
        }

        foreach (var element in document.QuerySelectorAll("[style]"))
        {
            usage.AddDeclarations(CssParser.ParseDeclarations(element.GetAttribute("style")!));
        }

        var data = CanIEmailData.Default;
        foreach (var feature in data.Features)
        {
            if (!usage.Uses(feature))
            {
                continue;
            }

            var clients = feature.UnsupportedBy(_targets).Select(client => data.Clients.GetValueOrDefault(client, client)).ToList();
            if (clients.Count > 0)
            {
                findings.Add(new(EmailLintSeverity.Warning, "css-unsupported",
                    $"{feature.Title} does not work in {JoinNames(clients)}: check the mail still reads well without it there, or do without it. {feature.Url}"));
            }
        }
    }

    /// <summary>True for <c>https:</c>, <c>mailto:</c>, <c>cid:</c>…; false for <c>/account</c> or <c>www.example.com</c>,
    /// which .NET would otherwise read as a file path or leave unresolved.</summary>
    private static bool HasScheme(string href)
    {
        var colon = href.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(href[0]) && !href.AsSpan(0, colon).ContainsAnyExcept(s_schemeCharacters);
    }

    private static string Describe(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "(no text)" : "\"" + (value.Length > 60 ? value[..57] + "…" : value) + "\"";

    private static string Kb(int bytes) => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB";

    private static string JoinNames(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
