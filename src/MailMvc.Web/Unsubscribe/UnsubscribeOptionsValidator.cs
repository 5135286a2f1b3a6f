using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Unsubscribe;

/// <summary>Stops start-up when unsubscribe links cannot be signed safely: no key outside Development, a short key, a
/// key in a committed appsettings file, or a <c>mailto:</c> address that is not one.</summary>
public sealed class UnsubscribeOptionsValidator : IValidateOptions<UnsubscribeOptions>
{
    private const string Key = UnsubscribeOptions.SectionName + ":" + nameof(UnsubscribeOptions.SigningKey);
    private const string FixIt = $"Set {Key} from a secret store or the environment (Unsubscribe__SigningKey), at least 32 characters, " +
        "for example the output of 'openssl rand -base64 32'; every instance needs the same key.";

    private readonly IHostEnvironment _environment;
    private readonly IConfiguration _configuration;

    public UnsubscribeOptionsValidator(IHostEnvironment environment, IConfiguration configuration)
    {
        _environment = environment;
        _configuration = configuration;
    }

    public ValidateOptionsResult Validate(string? name, UnsubscribeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_configuration is IConfigurationRoot root && root.Providers.OfType<JsonConfigurationProvider>()
            .FirstOrDefault(p => p.Source.Path?.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) == true && p.TryGet(Key, out _)) is { } file)
        {
            return ValidateOptionsResult.Fail(
                $"{Key} is in {file.Source.Path}, a file that is committed and deployed: anyone who reads it can unsubscribe anyone. " +
                $"Remove it from there and change the key. {FixIt}");
        }

        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return _environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{Key} is not set, so the one-click unsubscribe links bulk mail must carry cannot be signed. {FixIt}");
        }

        if (options.SigningKey.Trim().Length < UnsubscribeOptions.MinimumKeyLength)
        {
            return ValidateOptionsResult.Fail($"{Key} has {options.SigningKey.Trim().Length} characters, too short to keep unsubscribe links from being forged. {FixIt}");
        }

        if (!string.IsNullOrWhiteSpace(options.MailTo) && !Mail.EmailAddress.IsValid(options.MailTo))
        {
            return ValidateOptionsResult.Fail($"Unsubscribe:MailTo is '{options.MailTo}', which is not an email address; give one (unsubscribe@example.com) or leave it unset.");
        }

        return ValidateOptionsResult.Success;
    }
}
