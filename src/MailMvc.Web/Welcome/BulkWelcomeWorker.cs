using System.Globalization;
using CsvHelper;
using FluentValidation;
using MailMvc.Mail;

namespace MailMvc.Web.Welcome;

/// <summary>Sends the queued welcome lists in the background, over one reused connection per list
/// (reconnecting after <see cref="MailOptions.MaxEmails"/>), writing one result per row.</summary>
public sealed partial class BulkWelcomeWorker : BackgroundService
{
    private readonly BulkWelcomeJobs _jobs;
    private readonly IMailer _mailer;
    private readonly WelcomeMailFactory _factory;
    private readonly IValidator<WelcomeForm> _validator;
    private readonly ILogger<BulkWelcomeWorker> _logger;

    public BulkWelcomeWorker(BulkWelcomeJobs jobs, IMailer mailer, WelcomeMailFactory factory, IValidator<WelcomeForm> validator, ILogger<BulkWelcomeWorker> logger)
    {
        _jobs = jobs;
        _mailer = mailer;
        _factory = factory;
        _validator = validator;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _jobs.Queue.ReadAllAsync(stoppingToken))
        {
            LogStarted(_logger, job.Id, job.Total);
            var error = await RunAsync(job, stoppingToken);
            job.Complete(error);
            LogFinished(_logger, job.Id, job.Sent, job.Invalid, job.Refused, job.Failed);
            File.Delete(job.ListPath);
        }
    }

    private async Task<string?> RunAsync(BulkWelcomeJob job, CancellationToken cancellationToken)
    {
        await using var list = File.OpenRead(job.ListPath);
        await using var resultsFile = new StreamWriter(job.ResultsPath);
        await using var results = new CsvWriter(resultsFile, CultureInfo.InvariantCulture);
        results.WriteHeader<BulkRowResult>();
        await results.NextRecordAsync();

        IMailConnection? connection = null;
        try
        {
            await foreach (var (line, name, email) in WelcomeCsv.ReadAsync(list, cancellationToken))
            {
                var validation = await _validator.ValidateAsync(new WelcomeForm { Name = name, Email = email }, cancellationToken);
                BulkRowResult result;
                if (!validation.IsValid)
                {
                    result = new BulkRowResult(line, name, email, BulkRowOutcome.Invalid, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)));
                }
                else
                {
                    try
                    {
                        connection ??= await _mailer.ConnectAsync(cancellationToken);
                    }
                    catch (MailDeliveryException e)
                    {
                        LogConnectFailed(_logger, job.Id, e);
                        return $"{e.Message} The list stopped at row {line}; rows from there on were not sent.";
                    }

                    result = await SendAsync(connection, line, name, email, cancellationToken);
                }

                job.Count(result.Outcome);
                results.WriteRecord(result);
                await results.NextRecordAsync();
            }

            return null;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<BulkRowResult> SendAsync(IMailConnection connection, int line, string name, string email, CancellationToken cancellationToken)
    {
        try
        {
            var message = await _factory.CreateAsync(name, email, cancellationToken);
            await connection.SendAsync(message, cancellationToken);
            return new BulkRowResult(line, name, email, BulkRowOutcome.Sent, message.MessageId);
        }
        catch (MailRecipientRefusedException e)
        {
            return new BulkRowResult(line, name, email, BulkRowOutcome.Refused, e.ServerReply ?? e.Message);
        }
        catch (MailDeliveryException e)
        {
            return new BulkRowResult(line, name, email, BulkRowOutcome.Failed, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk welcome {JobId}: sending {Total} rows")]
    private static partial void LogStarted(ILogger logger, Guid jobId, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk welcome {JobId} finished: {Sent} sent, {Invalid} invalid, {Refused} refused, {Failed} failed")]
    private static partial void LogFinished(ILogger logger, Guid jobId, int sent, int invalid, int refused, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk welcome {JobId} stopped: could not connect to the mail server")]
    private static partial void LogConnectFailed(ILogger logger, Guid jobId, Exception exception);
}
