using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailMvc.Mail.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using Xunit.Abstractions;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// OAuth2 login end to end: a real SMTP server that accepts XOAUTH2 or OAUTHBEARER only with the expected token, and the
/// token from a local token endpoint through the real Microsoft.Identity.Client (an https authority on loopback, trusted
/// through an <see cref="IMsalHttpClientFactory"/> registered in the container) or the real Google.Apis.Auth (a service
/// account key file made in the test, whose <c>token_uri</c> is the local endpoint).
/// </summary>
public sealed class OAuth2LoginTests(ITestOutputHelper output)
{
    private const string Mailbox = "sender@example.com";
    private const string TranscriptCategory = "MailMvc.Mail.SmtpTranscript";

    [Fact]
    public async Task SendAsync_MicrosoftProviderFiveMails_FetchesOneTokenAndDeliversAll()
    {
        var token = "ms-token-A1b2C3";
        await using var endpoint = await TokenEndpoint.StartAsync([token]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = [token] });
        await using var app = BuildMicrosoftApp(server, endpoint);
        var mailer = app.GetRequiredService<IMailer>();

        for (var i = 0; i < 5; i++)
        {
            await mailer.SendAsync(new Message($"OAuth2 {i}", ["alice@example.com"], body: "Hi"));
        }

        Assert.Equal(5, server.Messages.Count);
        Assert.All(server.Messages, m => Assert.True(m.Authenticated));
        Assert.Equal(5, server.OAuthLogins.Count(l => l is { Mechanism: "XOAUTH2", Success: true }));
        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/contoso-tenant/oauth2/v2.0/token", request.Path);
        Assert.Equal("client_credentials", request.Form["grant_type"]);
        Assert.Equal("app-client-id", request.Form["client_id"]);
        Assert.Contains(MicrosoftOAuth2Options.DefaultScope, request.Form["scope"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendManyAsync_MicrosoftProviderOnSendThreads_FetchesOneTokenAndDeliversAll()
    {
        var token = "ms-token-threads";
        await using var endpoint = await TokenEndpoint.StartAsync([token]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = [token] });
        await using var app = BuildMicrosoftApp(server, endpoint);
        var mailer = app.GetRequiredService<IMailer>();

        var results = await mailer.SendManyAsync(Messages(20), connections: 3).ToListAsync();

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(20, server.Messages.Count);
        Assert.Single(endpoint.Requests);
        Assert.InRange(server.OAuthLogins.Count(l => l.Success), 1, 3);
    }

    [Fact]
    public async Task SendAsync_TokenPastNinetyPercentOfItsLifetime_FetchesAFreshTokenBeforeItExpires()
    {
        // A 60-second token is kept for 54 seconds (a tenth of its lifetime as the margin), then replaced.
        await using var endpoint = await TokenEndpoint.StartAsync(["short-token-1", "short-token-2"], expiresInSeconds: 60);
        await using var server = await SmtpTestServer.StartAsync(
            new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["short-token-1", "short-token-2"] });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = BuildMicrosoftApp(server, endpoint, time: time);
        var mailer = app.GetRequiredService<IMailer>();

        await mailer.SendAsync(new Message("First", ["alice@example.com"], body: "Hi"));
        time.Advance(TimeSpan.FromSeconds(50));
        await mailer.SendAsync(new Message("Second, same token", ["alice@example.com"], body: "Hi"));
        time.Advance(TimeSpan.FromSeconds(5));
        await mailer.SendAsync(new Message("Third, fresh token", ["alice@example.com"], body: "Hi"));

        Assert.Equal(3, server.Messages.Count);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal(["short-token-1", "short-token-1", "short-token-2"], server.OAuthLogins.Select(l => l.Token));
    }

    [Theory]
    [InlineData("XOAuth2", "XOAUTH2")]
    [InlineData("OAuthBearer", "OAUTHBEARER")]
    public async Task SendAsync_ServerRefusesTheFirstToken_RefreshesOnceAndDelivers(string mechanism, string saslName)
    {
        await using var endpoint = await TokenEndpoint.StartAsync(["revoked-token-9", "fresh-token-10"]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["fresh-token-10"] });
        await using var app = BuildMicrosoftApp(server, endpoint, mechanism: mechanism);
        var mailer = app.GetRequiredService<IMailer>();

        var receipt = await mailer.SendAsync(new Message("After one refusal", ["alice@example.com"], body: "Hi"));

        Assert.Equal(MailDisposition.Delivered, receipt.Disposition);
        Assert.Single(server.Messages);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal([(saslName, "revoked-token-9", false), (saslName, "fresh-token-10", true)], server.OAuthLogins);
    }

    [Fact]
    public async Task SendAsync_ServerRefusesTheFreshTokenToo_ThrowsMailAuthenticationExceptionNamingTheServerWithoutTheToken()
    {
        await using var endpoint = await TokenEndpoint.StartAsync(["wrong-token-1", "wrong-token-2"]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["the-right-one"] });
        await using var app = BuildMicrosoftApp(server, endpoint);
        var mailer = app.GetRequiredService<IMailer>();

        var error = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => mailer.SendAsync(new Message("Never sent", ["alice@example.com"], body: "Hi")));

        output.WriteLine(error.Message);
        Assert.Contains($"The SMTP server 127.0.0.1:{server.Port} refused the OAuth2 token for '{Mailbox}' twice", error.Message, StringComparison.Ordinal);
        Assert.Contains("SMTP.SendAsApp", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal(2, server.OAuthLogins.Count);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_MicrosoftWithACertificateFile_SignsTheClientAssertionWithItAndDelivers()
    {
        var token = "ms-token-by-certificate";
        await using var endpoint = await TokenEndpoint.StartAsync([token]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = [token] });
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=MailMvc test app", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var directory = Directory.CreateTempSubdirectory("mailmvc-msal-").FullName;
        try
        {
            var pfx = Path.Combine(directory, "mailer.pfx");
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx-password"));
            await using var app = BuildMicrosoftApp(server, endpoint, settings: new Dictionary<string, string?>
            {
                ["Mail:OAuth2:Microsoft:ClientSecret"] = null,
                ["Mail:OAuth2:Microsoft:CertificatePath"] = pfx,
                ["Mail:OAuth2:Microsoft:CertificatePassword"] = "pfx-password",
            });
            var mailer = app.GetRequiredService<IMailer>();

            await mailer.SendAsync(new Message("By certificate", ["alice@example.com"], body: "Hi"));

            Assert.Single(server.Messages);
            var request = Assert.Single(endpoint.Requests);
            Assert.False(request.Form.ContainsKey("client_secret"));
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
            var claims = VerifiedJwtClaims(request.Form["client_assertion"], key);
            Assert.Equal("app-client-id", claims.GetProperty("iss").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task SendAsync_EntraIdRefusesTheClientSecret_ThrowsMailAuthenticationExceptionWithEntraIdsReasonAndNoSecret()
    {
        const string Refusal = "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"," +
            "\"error_codes\":[7000215]}";
        await using var endpoint = await TokenEndpoint.StartAsync(["never-issued"], refusal: Refusal);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["never-issued"] });
        await using var app = BuildMicrosoftApp(server, endpoint);
        var mailer = app.GetRequiredService<IMailer>();

        var error = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => mailer.SendAsync(new Message("Never sent", ["alice@example.com"], body: "Hi")));

        output.WriteLine(error.Message);
        Assert.StartsWith("Could not get an OAuth2 token from Microsoft Entra ID for tenant 'contoso-tenant' and client 'app-client-id'",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("AADSTS7000215", error.Message, StringComparison.Ordinal);
        Assert.Contains("SMTP.SendAsApp", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("app-client-secret", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.OAuthLogins);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_SecondServerOfAListWithItsOwnOAuth2Section_FailsOverAndLogsInWithItsToken()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["custom-1"] });
        var provider = new CountingTokenProvider();
        await using var app = BuildApp(server, new Dictionary<string, string?>
        {
            ["Mail:Authentication"] = "Password",
            ["Mail:Servers:0:Server"] = "127.0.0.1",
            ["Mail:Servers:0:Port"] = SmtpTestServer.FindClosedPort().ToString(CultureInfo.InvariantCulture),
            ["Mail:Servers:1:Server"] = "127.0.0.1",
            ["Mail:Servers:1:Port"] = server.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail:Servers:1:Authentication"] = "OAuth2",
            ["Mail:Servers:1:OAuth2:Provider"] = "Custom",
            ["Mail:Servers:1:OAuth2:Mechanism"] = "OAuthBearer",
        }, mail => mail.UseTokenProvider(provider));
        var mailer = app.GetRequiredService<IMailer>();

        var receipt = await mailer.SendAsync(new Message("Second server", ["alice@example.com"], body: "Hi"));

        Assert.Equal($"127.0.0.1:{server.Port}", receipt.Server);
        Assert.Equal([("OAUTHBEARER", "custom-1", true)], server.OAuthLogins);
        Assert.Empty(provider.Invalidated);
    }

    [Fact]
    public async Task SendAsync_DebugWithOAuth2AndOneRefusal_TranscriptRedactsTheAuthLinesAndNoTokenIsLogged()
    {
        var stale = "stale-secret-token-7f3a";
        var fresh = "fresh-secret-token-2c9d";
        await using var endpoint = await TokenEndpoint.StartAsync([stale, fresh]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = [fresh] });
        var collector = new FakeLogCollector();
        await using var app = BuildMicrosoftApp(server, endpoint, collector: collector, debug: true);
        var mailer = app.GetRequiredService<IMailer>();
        var transcripts = new List<string?>();
        mailer.Dispatched += (_, e) => transcripts.Add(e.Transcript);

        await mailer.SendAsync(new Message("Redacted", ["alice@example.com"], body: "Hi"));

        var records = collector.GetSnapshot();
        var transcript = string.Join('\n', records.Where(r => r.Category == TranscriptCategory).Select(r => r.Message));
        output.WriteLine(transcript);
        Assert.Equal(2, Regex.Count(transcript, @"C: AUTH XOAUTH2 \*{8}\n"));
        Assert.Contains("S: 235", transcript, StringComparison.Ordinal);
        var everything = string.Join('\n', records.Select(r => r.Message + " " + r.Exception).Concat(transcripts.Select(t => t ?? "")));
        foreach (var token in new[] { stale, fresh })
        {
            foreach (var secret in new[] { token, Base64($"user={Mailbox}\u0001auth=Bearer {token}\u0001\u0001"), Base64(token) })
            {
                Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public Task SendAsync_GoogleServiceAccountKeyFile_SignsAJwtForTheUserAndLogsInWithTheToken() =>
        WithGoogleServiceAccountAsync("ya29.google-token-5e6f", async (token, endpoint, server, key, keyFile) =>
        {
            await WriteServiceAccountKeyAsync(keyFile, key, endpoint);
            await using var app = BuildGoogleApp(server, keyFile);
            var mailer = app.GetRequiredService<IMailer>();

            await mailer.SendAsync(new Message("Through Gmail", ["alice@example.com"], body: "Hi"));

            Assert.Single(server.Messages);
            Assert.Equal([("XOAUTH2", token, true)], server.OAuthLogins);
            var request = Assert.Single(endpoint.Requests);
            Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", request.Form["grant_type"]);
            var claims = VerifiedJwtClaims(request.Form["assertion"], key);
            Assert.Equal("mailer@mailmvc-tests.iam.gserviceaccount.com", claims.GetProperty("iss").GetString());
            Assert.Equal(Mailbox, claims.GetProperty("sub").GetString());
            Assert.Equal(GoogleOAuth2Options.DefaultScope, claims.GetProperty("scope").GetString());
        });

    [Fact]
    public Task SendAsync_GoogleKeyFileMalformedThenFixed_SaysWhichFileThenSendsWithoutARestart() =>
        WithGoogleServiceAccountAsync("ya29.google-token-7a8b", async (_, endpoint, server, key, keyFile) =>
        {
            await File.WriteAllTextAsync(keyFile, "{ \"type\": \"service_account\", truncated");
            await using var app = BuildGoogleApp(server, keyFile);
            var mailer = app.GetRequiredService<IMailer>();

            var error = await Assert.ThrowsAsync<MailAuthenticationException>(() => mailer.SendAsync(new Message("Through Gmail", ["alice@example.com"], body: "Hi")));
            await WriteServiceAccountKeyAsync(keyFile, key, endpoint);
            await mailer.SendAsync(new Message("Through Gmail", ["alice@example.com"], body: "Hi"));

            Assert.StartsWith($"Could not read the Google service account key file '{keyFile}' to log in to 127.0.0.1:{server.Port}:", error.Message);
            Assert.Contains("Check Mail:OAuth2:Google:KeyFilePath", error.Message, StringComparison.Ordinal);
            Assert.Single(server.Messages);
        });

    [Fact]
    public async Task SendAsync_CustomTokenProvider_LogsInWithItsTokenAndIsToldOfARefusal()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["custom-2"] });
        var provider = new CountingTokenProvider();
        await using var app = BuildCustomProviderApp(server, provider);
        var mailer = app.GetRequiredService<IMailer>();

        await mailer.SendAsync(new Message("Custom", ["alice@example.com"], body: "Hi"));

        Assert.Single(server.Messages);
        Assert.Equal(["custom-1"], provider.Invalidated);
        Assert.Equal(new MailTokenRequest("127.0.0.1", server.Port, Mailbox), Assert.Single(provider.Requests.Distinct()));
    }

    [Fact]
    public async Task SendAsync_CustomTokenProviderThrowsAnIOException_ThrowsMailAuthenticationExceptionNamingTheProviderAndSendsNothing()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["custom-1"] });
        await using var app = BuildCustomProviderApp(server, new FailingTokenProvider(tokensBeforeFailing: 0));
        var mailer = app.GetRequiredService<IMailer>();

        var error = await Assert.ThrowsAsync<MailAuthenticationException>(() => mailer.SendAsync(new Message("Custom", ["alice@example.com"], body: "Hi")));

        Assert.Equal(
            $"The OAuth2 token provider (FailingTokenProvider) could not give a token for '{Mailbox}' to log in to 127.0.0.1:{server.Port}: " +
            FailingTokenProvider.Failure, error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.True(error.IsConnectionFailure, "The outbox retries a login problem as it retries an outage.");
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_CustomTokenProviderTimesOut_ThrowsMailTimeoutExceptionNamingTheProvider()
    {
        // The provider's own HTTP client giving up (TaskCanceledException), not the caller cancelling: a passing problem.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["custom-1"] });
        await using var app = BuildCustomProviderApp(server, new FailingTokenProvider(0, new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.")));
        var mailer = app.GetRequiredService<IMailer>();

        var error = await Assert.ThrowsAsync<MailTimeoutException>(() => mailer.SendAsync(new Message("Custom", ["alice@example.com"], body: "Hi")));

        Assert.StartsWith("The OAuth2 token provider (FailingTokenProvider) did not give a token", error.Message);
        Assert.True(error.IsTransient);
        Assert.True(error.IsConnectionFailure);
        Assert.IsType<TaskCanceledException>(error.InnerException);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsWhileTheProviderFetches_ThrowsOperationCanceledExceptionNotATimeout()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = ["custom-1"] });
        var provider = new WaitingTokenProvider();
        await using var app = BuildCustomProviderApp(server, provider);
        var mailer = app.GetRequiredService<IMailer>();
        using var cancel = new CancellationTokenSource();

        var sending = mailer.SendAsync(new Message("Custom", ["alice@example.com"], body: "Hi"), cancel.Token);
        await provider.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        var error = await Record.ExceptionAsync(() => sending);
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Empty(server.Messages);
    }

    [Theory]
    [InlineData("pipelined, on the list's send thread")]
    [InlineData("MailKit's exchange, on the list's send thread")]
    [InlineData("a connection scope, on the thread pool")]
    public async Task Send_TokenProviderFailsWhenAConnectionTheServerClosedIsReopened_ReportsTheProviderNotALostConnection(string how)
    {
        // The server closes the used connection at the next MAIL FROM (its idle timer fired, say): that mail never reached
        // a transaction, so it goes on a new connection, which logs in again, and there the provider fails. Its tokens
        // last a moment, so every login asks it.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions
        {
            OAuthUser = Mailbox,
            OAuthTokens = ["custom-1"],
            HangUpReused = 1,
            Pipelining = how.StartsWith("pipelined", StringComparison.Ordinal),
        });
        await using var app = BuildCustomProviderApp(server, new FailingTokenProvider(tokensBeforeFailing: 1));
        var mailer = app.GetRequiredService<IMailer>();
        Exception? error;
        if (how.EndsWith("send thread", StringComparison.Ordinal))
        {
            var results = await mailer.SendManyAsync(FirstThenSecondAfterAPause()).ToListAsync();
            Assert.True(results[0].IsSent, results[0].Error?.Message);
            error = results[1].Error;
        }
        else
        {
            await using var connection = await mailer.ConnectAsync();
            await connection.SendAsync(new Message("Mail 1", ["user1@example.com"], body: "Hi"));
            error = await Record.ExceptionAsync(() => connection.SendAsync(new Message("Mail 2", ["user2@example.com"], body: "Hi")));
        }

        var refused = Assert.IsType<MailAuthenticationException>(error);
        Assert.StartsWith("The OAuth2 token provider (FailingTokenProvider) could not give a token", refused.Message);
        Assert.IsType<IOException>(refused.InnerException);
        Assert.Equal(["Mail 1"], server.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(1, server.HungUpCount);
    }

    /// <summary>Two mails; the second after the first's exchange is over, so it opens an exchange of its own on the used connection.</summary>
    private static async IAsyncEnumerable<Message> FirstThenSecondAfterAPause()
    {
        yield return new Message("Mail 1", ["user1@example.com"], body: "Hi");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        yield return new Message("Mail 2", ["user2@example.com"], body: "Hi");
    }

    /// <summary>Runs <paramref name="test"/> with a local token endpoint that hands out <paramref name="token"/>, an SMTP
    /// server that takes it, a service account's key and the path of its key file (not written yet) in a folder of its own.</summary>
    private static async Task WithGoogleServiceAccountAsync(string token,
        Func<string, TokenEndpoint, SmtpTestServer, RSA, string, Task> test)
    {
        await using var endpoint = await TokenEndpoint.StartAsync([token]);
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { OAuthUser = Mailbox, OAuthTokens = [token] });
        using var key = RSA.Create(2048);
        var directory = Directory.CreateTempSubdirectory("mailmvc-google-").FullName;
        try
        {
            await test(token, endpoint, server, key, Path.Combine(directory, "service-account.json"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Writes a service account's JSON key file for <paramref name="key"/>, its token endpoint the local one.</summary>
    private static Task WriteServiceAccountKeyAsync(string keyFile, RSA key, TokenEndpoint endpoint) =>
        File.WriteAllTextAsync(keyFile, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "mailmvc-tests",
            ["private_key_id"] = "test-key-1",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "mailer@mailmvc-tests.iam.gserviceaccount.com",
            ["client_id"] = "1234567890",
            ["token_uri"] = new Uri(endpoint.HttpAddress, "/token").ToString(),
        }));

    private static ServiceProvider BuildCustomProviderApp(SmtpTestServer server, IMailTokenProvider provider) =>
        BuildApp(server, new Dictionary<string, string?> { ["Mail:OAuth2:Provider"] = "Custom" }, mail => mail.UseTokenProvider(provider));

    private static ServiceProvider BuildGoogleApp(SmtpTestServer server, string keyFile) =>
        BuildApp(server, new Dictionary<string, string?> { ["Mail:OAuth2:Provider"] = "Google", ["Mail:OAuth2:Google:KeyFilePath"] = keyFile });

    private static ServiceProvider BuildMicrosoftApp(SmtpTestServer server, TokenEndpoint endpoint, string mechanism = "XOAuth2",
        FakeTimeProvider? time = null, FakeLogCollector? collector = null, bool debug = false, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Mail:OAuth2:Provider"] = "Microsoft",
            ["Mail:OAuth2:Mechanism"] = mechanism,
            ["Mail:OAuth2:Microsoft:TenantId"] = "contoso-tenant",
            ["Mail:OAuth2:Microsoft:ClientId"] = "app-client-id",
            ["Mail:OAuth2:Microsoft:ClientSecret"] = "app-client-secret",
            ["Mail:OAuth2:Microsoft:Authority"] = endpoint.HttpsAddress.ToString(),
            ["Mail:Debug"] = debug ? "true" : "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return BuildApp(server, all, mail => mail.Services.AddSingleton<IMsalHttpClientFactory>(new TestCertificateMsalHttpClientFactory()), time, collector);
    }

    private static ServiceProvider BuildApp(SmtpTestServer server, Dictionary<string, string?> settings, Action<MailBuilder>? configure = null,
        TimeProvider? time = null, FakeLogCollector? collector = null)
    {
        settings["Mail:Server"] = "127.0.0.1";
        settings["Mail:Port"] = server.Port.ToString(CultureInfo.InvariantCulture);
        settings["Mail:DeliveryMethod"] = "Smtp";
        settings["Mail:SuppressSend"] = "false";
        settings["Mail:DefaultSender"] = Mailbox;
        settings["Mail:Username"] = Mailbox;
        settings.TryAdd("Mail:Authentication", "OAuth2");
        settings["Mail:Timeout"] = "00:00:10";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
            if (collector is not null)
            {
                logging.AddProvider(new FakeLoggerProvider(collector));
            }
        });
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        var mail = services.AddMail(configuration.GetSection("Mail"));
        configure?.Invoke(mail);
        return services.BuildServiceProvider();
    }

    private static JsonElement VerifiedJwtClaims(string jwt, RSA key)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
        var padding = header.RootElement.GetProperty("alg").GetString() == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64UrlDecode(parts[2]),
            HashAlgorithmName.SHA256, padding), "The JWT is not signed with the expected key.");
        using var document = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        return document.RootElement.Clone();
    }

    private static byte[] Base64UrlDecode(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static async IAsyncEnumerable<Message> Messages(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    /// <summary>MSAL's HTTP client, trusting the test certificate of the local token endpoint and nothing else.</summary>
    private sealed class TestCertificateMsalHttpClientFactory : IMsalHttpClientFactory
    {
        private readonly HttpClient _client = new(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = TestCertificate.Validate },
        });

        public HttpClient GetHttpClient() => _client;
    }

    /// <summary>A custom provider that gives a few tokens, each lasting only a moment (so every login asks for one), and
    /// then fails as a provider reading a token cache file might.</summary>
    private sealed class FailingTokenProvider(int tokensBeforeFailing, Exception? failure = null) : IMailTokenProvider
    {
        public const string Failure = "The token cache file is locked by another process.";

        private int _issued;

        public Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default) =>
            ++_issued > tokensBeforeFailing
                ? throw failure ?? new IOException(Failure)
                : Task.FromResult(new MailAccessToken($"custom-{_issued}", DateTimeOffset.UtcNow));

        public void Invalidate(MailTokenRequest request, MailAccessToken token)
        {
        }
    }

    /// <summary>A provider that waits for its token until the caller cancels.</summary>
    private sealed class WaitingTokenProvider : IMailTokenProvider
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default)
        {
            Asked.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("Not reached: the delay ends only by cancellation.");
        }

        public void Invalidate(MailTokenRequest request, MailAccessToken token)
        {
        }
    }

    /// <summary>Hands out custom-1, custom-2, … and records what it is asked and told.</summary>
    private sealed class CountingTokenProvider : IMailTokenProvider
    {
        private int _issued;

        public List<MailTokenRequest> Requests { get; } = [];

        public List<string> Invalidated { get; } = [];

        public Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            return Task.FromResult(new MailAccessToken($"custom-{++_issued}", DateTimeOffset.UtcNow.AddHours(1)));
        }

        public void Invalidate(MailTokenRequest request, MailAccessToken token) => Invalidated.Add(token.Token);
    }
}
