using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation;
using MailMvc.Mail;
using MailMvc.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Sends the queued welcome lists in the background over reused connections
/// (<see cref="BulkWelcomeOptions.Connections"/>, each reconnecting after <see cref="MailOptions.MaxEmails"/>),
/// writing one result per row. Rows are read, rendered and sent as the connections take them: a list of any length
/// never sits in memory.</summary>
public sealed partial class BulkWelcomeWorker : BackgroundService
{
    private readonly BulkWelcomeJobs _jobs;
    private readonly IMailer _mailer;
    private readonly WelcomeMailFactory _factory;
    private readonly IValidator<WelcomeForm> _validator;
    private readonly BulkWelcomeOptions _options;
    private readonly MailErrorText _errors;
    private readonly ILogger<BulkWelcomeWorker> _logger;

    public BulkWelcomeWorker(BulkWelcomeJobs jobs, IMailer mailer, WelcomeMailFactory factory, IValidator<WelcomeForm> validator,
        IOptions<BulkWelcomeOptions> options, MailErrorText errors, ILogger<BulkWelcomeWorker> logger)
    {
        _errors = errors;
        _jobs = jobs;
        _mailer = mailer;
        _factory = factory;
        _validator = validator;
        _options = options.Value;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _jobs.Queue.ReadAllAsync(stoppingToken))
        {
            string? error;
            try
            {
                await using (var list = File.OpenRead(job.ListPath))
                {
                    job.SetTotal(await WelcomeCsv.CountRowsAsync(list, stoppingToken));
                }

                LogStarted(_logger, job.Id, job.Total);
                error = await RunAsync(job, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken list (a template error, a full disk) must not stop the app or the lists after it.
                LogJobFailed(_logger, job.Id, e);
                error = $"The list stopped after {job.Processed} row(s): {e.Message} The rows from there on were not sent.";
            }

            job.Complete(error);
            LogFinished(_logger, job.Id, job.Sent, job.Queued, job.Invalid, job.Refused, job.Failed);
            File.Delete(job.ListPath);
        }
    }

    private async Task<string?> RunAsync(BulkWelcomeJob job, CancellationToken cancellationToken)
    {
        await using var list = File.OpenRead(job.ListPath);
        await using var resultsFile = new StreamWriter(job.ResultsPath);
        // Names and addresses come from the uploaded file: a cell starting with = or + must not become a formula.
        await using var results = new CsvWriter(resultsFile, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
        results.WriteHeader<BulkRowResult>();
        await results.NextRecordAsync();
        using var writing = new SemaphoreSlim(1);

        // Invalid rows are recorded as the list is read; valid ones once the server has answered.
        async Task RecordAsync(BulkRowResult result)
        {
            await writing.WaitAsync(cancellationToken);
            try
            {
                job.Count(result.Outcome);
                results.WriteRecord(result);
                await results.NextRecordAsync();
            }
            finally
            {
                writing.Release();
            }
        }

        async IAsyncEnumerable<(Message, (int Line, string Name, string Email))> ValidRowsAsync()
        {
            await foreach (var (line, name, email) in WelcomeCsv.ReadAsync(list, cancellationToken))
            {
                var validation = await _validator.ValidateAsync(new WelcomeForm { Name = name, Email = email }, cancellationToken);
                if (!validation.IsValid)
                {
                    await RecordAsync(new BulkRowResult(line, name, email, BulkRowOutcome.Invalid, string.Join(" ", validation.Errors.Select(e => e.ErrorMessage))));
                    continue;
                }

                yield return (await _factory.CreateAsync(name, email, cancellationToken), (line, name, email));
            }
        }

        string? stopped = null;
        await foreach (var result in _mailer.SendManyAsync(ValidRowsAsync(), _options.Connections, cancellationToken))
        {
            var (line, name, email) = result.State;
            var (outcome, detail) = (result.Receipt, result.Error) switch
            {
                ({ Disposition: MailDisposition.Queued } receipt, _) => (BulkRowOutcome.Queued, receipt.MessageId),
                ({ Disposition: MailDisposition.Stopped } receipt, _) => (BulkRowOutcome.Failed, receipt.Reason ?? "Stopped before sending."),
                ({ } receipt, _) => (BulkRowOutcome.Sent, receipt.MessageId),
                (_, MailRecipientRefusedException refused) => (BulkRowOutcome.Refused, refused.ServerReply ?? _errors.Describe(refused)),
                (_, MailDeliveryException error) => (BulkRowOutcome.Failed, _errors.Describe(error)),
                (_, var error) => (BulkRowOutcome.Failed, error?.Message ?? "Not sent."),
            };
            if (result.Error is MailDeliveryException { IsConnectionFailure: true } connectionFailure && stopped is null)
            {
                LogConnectFailed(_logger, job.Id, connectionFailure);
                stopped = $"{_errors.Describe(connectionFailure)} The rows marked Failed were not sent; send them again once the server is back.";
            }

            await RecordAsync(new BulkRowResult(line, name, email, outcome, detail));
        }

        return stopped;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk welcome {JobId} failed")]
    private static partial void LogJobFailed(ILogger logger, Guid jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk welcome {JobId}: sending {Total} rows")]
    private static partial void LogStarted(ILogger logger, Guid jobId, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk welcome {JobId} finished: {Sent} sent, {Queued} queued, {Invalid} invalid, {Refused} refused, {Failed} failed")]
    private static partial void LogFinished(ILogger logger, Guid jobId, int sent, int queued, int invalid, int refused, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk welcome {JobId}: the mail server could not be used; the remaining rows fail")]
    private static partial void LogConnectFailed(ILogger logger, Guid jobId, Exception exception);
}
