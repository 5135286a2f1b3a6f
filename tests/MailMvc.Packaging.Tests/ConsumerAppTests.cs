using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Packaging.Tests;

/// <summary>An app built from the packed packages alone, as someone who installed them builds it.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class ConsumerAppTests(PackedPackages packages)
{
    [Fact]
    public async Task ConsumerApp_BuiltFromPackages_SendsRenderedTemplate()
    {
        // Arrange
        await using var server = await SmtpTestServer.StartAsync();
        var app = ConsumerApp.Create(packages, "hello");

        // Act
        var (exitCode, output) = await app.RunAsync(["--Mail:Server=127.0.0.1", $"--Mail:Port={server.Port}",
            "--Mail:DefaultSender=HelloApp <hello@example.com>"]);

        // Assert
        Assert.True(exitCode == 0, output);
        var message = Assert.Single(server.Messages).Parse();
        Assert.Equal("Hello, Ada Lovelace", message.Subject);
        Assert.Contains("<b>Ada Lovelace</b>, you have 3 unread messages", message.HtmlBody);
        Assert.Contains("Ada Lovelace, you have 3 unread messages", message.TextBody);
    }

    [Fact]
    public async Task ConsumerApp_WithoutCompilationContext_FailsNamingTheSetting()
    {
        // Arrange
        var app = ConsumerApp.Create(packages, "no-compilation-context");

        // Act
        var (exitCode, output) = await app.RunAsync([], buildProperties: ["PreserveCompilationContext=false"]);

        // Assert
        Assert.NotEqual(0, exitCode);
        Assert.Contains("<PreserveCompilationContext>true</PreserveCompilationContext>", output);
    }
}
