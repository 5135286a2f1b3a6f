using System.Net;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.EmailTemplates;

/// <summary>Stops start-up outside Development unless <c>EmailTemplates:BaseUrl</c> names an address people can reach:
/// a mail linking to localhost is useless to everyone who receives it.</summary>
public sealed class EmailLinkOptionsValidator : IValidateOptions<EmailLinkOptions>
{
    private const string Key = EmailLinkOptions.SectionName + ":" + nameof(EmailLinkOptions.BaseUrl);
    private const string FixIt = $"Set {Key} (or the environment variable EmailTemplates__BaseUrl) to the address people open this app at, such as https://mail.example.com/.";

    private readonly IHostEnvironment _environment;

    public EmailLinkOptionsValidator(IHostEnvironment environment) => _environment = environment;

    public ValidateOptionsResult Validate(string? name, EmailLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            return ValidateOptionsResult.Fail($"{Key} is not set, so links in mails would point to localhost. {FixIt}");
        }

        if (Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) && IsLoopback(url))
        {
            return ValidateOptionsResult.Fail($"{Key} is '{options.BaseUrl}', an address only this machine can open. {FixIt}");
        }

        if (url is { Scheme: "http" })
        {
            return ValidateOptionsResult.Fail(
                $"{Key} is '{options.BaseUrl}', a plain http:// address: links in mails, the one-click unsubscribe link among them, " +
                $"must use https:// outside Development (the unsubscribe token would travel in clear). {FixIt}");
        }

        // Anything else that is not an absolute http(s) address is reported by the templates library's own check.
        return ValidateOptionsResult.Success;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))
        || url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
