using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web;
using MailMvc.Web.Infrastructure;

var contentRoot = AppPaths.FindContentRoot();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = contentRoot,
    WebRootPath = Path.Combine(contentRoot, "wwwroot"),
});

builder.Services.AddMail(builder.Configuration.GetSection(MailOptions.SectionName));
builder.Services.AddEmailTemplates(builder.Configuration.GetSection(EmailTemplateOptions.SectionName));
builder.Services.AddMailMvcWeb(builder.Configuration);

var app = builder.Build();
app.UseMailMvcWeb();
app.Run();

/// <summary>The web app's entry point, public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
