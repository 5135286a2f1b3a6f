using MailMvc.Mail;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.DevMail;

/// <summary>Stops start-up when <c>DevMail:SendPreviewTo</c> holds something that is not an address.</summary>
public sealed class DevMailOptionsValidator : IValidateOptions<DevMailOptions>
{
    public ValidateOptionsResult Validate(string? name, DevMailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bad = options.Recipients.Where(address => !EmailAddress.IsValid(address)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{DevMailOptions.SectionName}:{nameof(DevMailOptions.SendPreviewTo)} holds {string.Join(", ", bad.Select(b => $"'{b}'"))}, " +
                "which is not an email address; give your own address (several separated by commas), or leave it empty to send no previews.");
    }
}
