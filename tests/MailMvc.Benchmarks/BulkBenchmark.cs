using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Templates.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailMvc.Benchmarks;

/// <summary>Sends N personalised Welcome mails through <see cref="IMailer.SendManyAsync"/> and prints one line of figures.</summary>
internal static class BulkBenchmark
{
    public static async Task<int> RunAsync(BulkOptions options)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(options.Debug ? LogLevel.Information : LogLevel.Warning));
        services.AddMail(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), mail =>
        {
            mail.Server = options.Host;
            mail.Port = options.Port;
            mail.DefaultSender = "MailMvc <noreply@example.com>";
            mail.DeliveryMethod = MailDeliveryMethod.Smtp;
            mail.SuppressSend = false;
            mail.Debug = options.Debug;
        });
        services.AddEmailTemplates(_ => { });
        await using var provider = services.BuildServiceProvider();
        var mailer = provider.GetRequiredService<IMailer>();
        var renderer = provider.GetRequiredService<IEmailRenderer>();

        // Compiles the templates, as the app does at start-up.
        await renderer.RenderAsync(WelcomeTemplate, new WelcomeModel("Warm Up", "warm@example.com"));

        var loop = Stopwatch.StartNew();
        int sent = 0, failed = 0;
        string? firstError = null;
        await foreach (var result in mailer.SendManyAsync(WelcomeMailsAsync(renderer, options.Count), options.Connections))
        {
            if (result.IsSent)
            {
                sent++;
            }
            else
            {
                failed++;
                firstError ??= result.Error!.Message;
            }
        }

        loop.Stop();
        using var process = Process.GetCurrentProcess();
        var seconds = (DateTime.Now - process.StartTime).TotalSeconds;
        if (firstError is not null)
        {
            await Console.Error.WriteLineAsync($"first failure: {firstError}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent={sent} failed={failed} connections={options.Connections} seconds={seconds:0.00} msgs_per_s={sent / seconds:0} " +
            $"loop_msgs_per_s={sent / loop.Elapsed.TotalSeconds:0} cpu_s={process.TotalProcessorTime.TotalSeconds:0.00} " +
            $"peak_rss_mb={process.PeakWorkingSet64 / (1024 * 1024)}"));
        return failed == 0 ? 0 : 1;
    }

    private const string WelcomeTemplate = "Welcome";

    /// <summary>Renders each mail only when a connection is ready for it, so memory stays flat as N grows.</summary>
    private static async IAsyncEnumerable<Message> WelcomeMailsAsync(IEmailRenderer renderer, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"user{i}@example.com");
            var rendered = await renderer.RenderAsync(WelcomeTemplate, new WelcomeModel(string.Create(CultureInfo.InvariantCulture, $"User {i}"), email), cancellationToken);
            yield return new Message(rendered.Subject, [email], rendered.Text, rendered.Html);
        }
    }
}
