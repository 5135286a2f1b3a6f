using MailMvc.Mail;
using MailMvc.Mail.Dkim;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Infrastructure;

/// <summary><c>dotnet run --project src/MailMvc.Web -- --dkim-dns-record</c>: prints the DNS TXT record to publish for the
/// configured DKIM key (<c>Mail:Dkim</c>), or says what is missing.</summary>
public static class DkimDnsRecordCommand
{
    /// <summary>The command-line switch.</summary>
    public const string Command = "--dkim-dns-record";

    /// <summary>True when the app was started to print the record.</summary>
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Command;

    /// <summary>Prints the record.</summary>
    /// <returns>The process exit code: 0, or 1 when DKIM is not configured or the key cannot be used.</returns>
    public static int Run(IServiceProvider services, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        var dkim = services.GetRequiredService<IOptionsFactory<MailOptions>>().Create(Options.DefaultName).Dkim;
        if (!dkim.IsEnabled)
        {
            output.WriteLine("DKIM is off: set Mail:Dkim:Domain, Mail:Dkim:Selector and Mail:Dkim:PrivateKeyPath (or Mail:Dkim:PrivateKey).");
            return 1;
        }

        try
        {
            output.WriteLine(DkimKey.Load(dkim).DnsRecord(dkim));
            return 0;
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine(e.Message);
            return 1;
        }
    }
}
