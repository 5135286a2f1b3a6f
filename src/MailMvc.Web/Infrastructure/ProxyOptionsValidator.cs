using System.Net;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Infrastructure;

/// <summary>Stops start-up when a trusted proxy or network is not an address, naming the entry.</summary>
public sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var proxy in options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            failures.Add($"{ProxyOptions.SectionName}:{nameof(ProxyOptions.KnownProxies)} holds '{proxy}', which is not an IP address; give one such as 10.0.0.5.");
        }

        foreach (var network in options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            failures.Add($"{ProxyOptions.SectionName}:{nameof(ProxyOptions.KnownNetworks)} holds '{network}', which is not a network; give one such as 10.0.0.0/24.");
        }

        SettingRange.Check(failures, $"{ProxyOptions.SectionName}:{nameof(ProxyOptions.ForwardLimit)}", options.ForwardLimit, 1, 10);
        return SettingRange.Result(failures);
    }
}
