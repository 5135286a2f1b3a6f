using MailMvc.Mail;
using MailMvc.Mail.Tests.Transport;
using MailMvc.Mail.Transport;
using MailMvc.Web.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Health;

/// <summary>The transport probe of /healthz with a transport of the user's own.</summary>
public sealed class MailTransportHealthCheckTests
{
    [Fact]
    public async Task CheckHealthAsync_SessionOpensButThrowsAsItIsClosed_Healthy()
    {
        var transport = new ThrowingOnCloseTransport();
        var mailer = new Mailer(new MailOptions { DefaultSender = "app@example.com", SuppressSend = false }, transport);
        await using var services = new ServiceCollection().AddSingleton<IMailTransport>(transport).BuildServiceProvider();
        using var check = new MailTransportHealthCheck(mailer, services, NullLogger<MailTransportHealthCheck>.Instance, TimeProvider.System,
            Options.Create(new MailHealthOptions()));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        // The session opened, so the server answers; its failure to close is logged, not a health problem.
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(1, transport.Closed);
    }
}
