using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Mail.Tests;

/// <summary>The arrows between the parts (docs/architecture.md): the core library carries no database driver and
/// starts nothing in the background; the outbox is the optional part that does.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly s_core = typeof(IMailer).Assembly;

    [Theory]
    [InlineData("Npgsql")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("MailMvc.Mail.Outbox")]
    public void MailMvcMail_References_NoDatabaseDriverNorTheOutbox(string assembly)
    {
        Assert.DoesNotContain(s_core.GetReferencedAssemblies(), a => a.Name == assembly);
    }

    [Fact]
    public void MailMvcMail_Types_NoneIsAHostedService()
    {
        Assert.DoesNotContain(s_core.GetTypes(), t => typeof(IHostedService).IsAssignableFrom(t));
    }

    [Fact]
    public void MailMvcMailOutbox_Types_TheDeliveryWorkerIsAHostedService()
    {
        Assert.Contains(typeof(MailMvc.Mail.Outbox.IMailOutbox).Assembly.GetTypes(), t => typeof(IHostedService).IsAssignableFrom(t));
    }
}
