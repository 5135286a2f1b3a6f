using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Templates;
using MailMvc.Web;
using MailMvc.Web.EmailTemplates;
using MailMvc.Web.Infrastructure;

// Run after each build (Directory.Build.targets) to compile the email templates ahead of time.
var precompileTemplates = EmailTemplatePrecompiler.IsRequested(args);
var printDkimRecord = DkimDnsRecordCommand.IsRequested(args);
var hostArgs = precompileTemplates || printDkimRecord ? args[1..] : args;
var contentRoot = AppPaths.FindContentRoot(hostArgs);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = hostArgs,
    ContentRootPath = contentRoot,
    WebRootPath = Path.Combine(contentRoot, "wwwroot"),
});

builder.Services.AddMail(builder.Configuration.GetSection(MailOptions.SectionName)).AddSuppressionList().AddOutbox();
builder.Services.AddEmailTemplates(builder.Configuration.GetSection(EmailTemplateOptions.SectionName), templates => templates.AddMailMvcModels());
builder.Services.AddMailMvcWeb(builder.Configuration);
builder.Services.AddMailMvcTelemetry(builder.Configuration);   // OpenTelemetry over OTLP, only when an endpoint is configured

await using var app = builder.Build();
if (precompileTemplates)
{
    return await EmailTemplatePrecompiler.RunAsync(app.Services, Console.Out);
}

if (printDkimRecord)
{
    return DkimDnsRecordCommand.Run(app.Services, Console.Out);
}

app.UseMailMvcWeb();
await app.RunAsync();
return 0;

/// <summary>The web app's entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
