using HelloApp;
using MailMvc.Mail;
using MailMvc.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A consumer's console app, built from the packed packages: it renders Templates/Hello.cshtml with a model of
// its own and sends the mail to the server named in its arguments (--Mail:Server=… --Mail:Port=…).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMail(builder.Configuration.GetSection("Mail"));
builder.Services.AddEmailTemplates(builder.Configuration.GetSection("EmailTemplates"),
    templates => templates.AddModelsFrom<HelloModel>());
using var host = builder.Build();

var renderer = host.Services.GetRequiredService<IEmailRenderer>();
var mailer = host.Services.GetRequiredService<IMailer>();
var email = await renderer.RenderAsync("Hello", new HelloModel("Ada Lovelace", 3));
var receipt = await mailer.SendAsync(new Message(email.Subject, ["ada@example.com"], body: email.Text, html: email.Html));
Console.WriteLine($"Sent {receipt.MessageId}");
