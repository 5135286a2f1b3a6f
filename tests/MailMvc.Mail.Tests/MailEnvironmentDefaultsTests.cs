using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace MailMvc.Mail.Tests;

/// <summary><see cref="MailServiceCollectionExtensions.ApplyEnvironmentDefaults"/>: the defaults that depend on the host environment.</summary>
public sealed class MailEnvironmentDefaultsTests
{
    private static readonly string s_contentRoot = Path.Combine(Path.GetTempPath(), "mailmvc-content-root");

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Testing", false)]
    public void ApplyEnvironmentDefaults_DebugUnset_IsOnOnlyInDevelopment(string environmentName, bool expected)
    {
        var options = new MailOptions();

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(environmentName));

        Assert.Equal(expected, options.Debug);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_DebugSetOffInDevelopment_StaysOff()
    {
        var options = new MailOptions { Debug = false };

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(Environments.Development));

        Assert.False(options.Debug);
    }

    [Theory]
    [InlineData("Testing", true)]
    [InlineData("Development", false)]
    [InlineData("Production", false)]
    public void ApplyEnvironmentDefaults_SuppressSendUnset_IsOnOnlyInTesting(string environmentName, bool expected)
    {
        var options = new MailOptions();

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(environmentName));

        Assert.Equal(expected, options.SuppressSend);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_DevelopmentWithoutServer_UsesPickupDirectoryUnderContentRoot()
    {
        var options = new MailOptions();

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(Environments.Development));

        Assert.Equal(
            (MailDeliveryMethod.PickupDirectory, Path.Combine(s_contentRoot, "App_Data", "mail-pickup")),
            (options.DeliveryMethod, options.PickupDirectory));
    }

    [Fact]
    public void ApplyEnvironmentDefaults_DevelopmentWithServer_UsesSmtp()
    {
        var options = new MailOptions { Server = "smtp.example.com" };

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(Environments.Development));

        Assert.Equal(MailDeliveryMethod.Smtp, options.DeliveryMethod);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_ProductionWithoutServer_UsesSmtp()
    {
        var options = new MailOptions();

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(Environments.Production));

        Assert.Equal(MailDeliveryMethod.Smtp, options.DeliveryMethod);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_DeliveryMethodSet_IsKept()
    {
        var options = new MailOptions { DeliveryMethod = MailDeliveryMethod.Smtp };

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, Host(Environments.Development));

        Assert.Equal(MailDeliveryMethod.Smtp, options.DeliveryMethod);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_NoHostEnvironment_SendsOverSmtpWithoutDebug()
    {
        var options = new MailOptions();

        MailServiceCollectionExtensions.ApplyEnvironmentDefaults(options, null);

        Assert.Equal((MailDeliveryMethod.Smtp, false, false), (options.DeliveryMethod, options.Debug, options.SuppressSend));
    }

    private static HostingEnvironment Host(string name) => new() { EnvironmentName = name, ContentRootPath = s_contentRoot };
}
