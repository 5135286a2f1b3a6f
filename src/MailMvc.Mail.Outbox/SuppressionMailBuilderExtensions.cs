using MailMvc.Mail.Suppression;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Outbox;

/// <summary>Adds the built-in suppression list: <c>services.AddMail(config).AddSuppressionList().AddOutbox()</c>.</summary>
public static class SuppressionMailBuilderExtensions
{
    /// <summary>
    /// Checks every message against a durable <see cref="ISuppressionList"/> before it is sent or queued (a message left
    /// with no recipient says <see cref="MailDisposition.Suppressed"/>), and, with the outbox, again at every delivery
    /// attempt, so mail queued before an address was suppressed is not sent to it. The list lives in the outbox's
    /// database while the outbox is on with SQLite or PostgreSQL (its schema version 3), else in the SQLite file
    /// <c>Mail:Suppression:DatabasePath</c>. Registers <see cref="ISuppressionList"/> for pages that add and remove entries.
    /// </summary>
    /// <param name="mail">The mail builder from <c>AddMail</c>.</param>
    /// <returns><paramref name="mail"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mail"/> is null.</exception>
    public static MailBuilder AddSuppressionList(this MailBuilder mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        mail.Services.AddOptions<SuppressionOptions>()
            .Bind(mail.Configuration.GetSection(SuppressionOptions.SectionName))
            .PostConfigure<IServiceProvider>((options, provider) =>
            {
                var root = provider.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
                options.DatabasePath = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DatabasePath)
                    ? Path.Combine("App_Data", "suppressions.db") : options.DatabasePath, root);
            })
            .Validate(o => Enum.IsDefined(o.AddUnknownRecipients),
                "Mail:Suppression:AddUnknownRecipients must be Off, BulkMail or AllMail.")
            .ValidateOnStart();
        return mail.UseSuppressionList(Create);
    }

    private static ISuppressionList Create(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<SuppressionOptions>>().Value;
        if (provider.GetService<OutboxRuntime>() is { Enabled: true } outbox)
        {
            switch (outbox.Options.Provider)
            {
                case OutboxProvider.PostgreSql:
                    return new PostgresSuppressionList(outbox.Options.ConnectionString!, outbox.Store.EnsureSchemaAsync);
                case OutboxProvider.Sqlite:
                    return new SqliteSuppressionList(outbox.Options.ConnectionString!, outbox.Store.EnsureSchemaAsync);
            }
        }

        return SqliteSuppressionList.OwnFile(options.DatabasePath!);
    }
}
