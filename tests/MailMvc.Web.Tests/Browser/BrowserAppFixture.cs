using MailMvc.Mail.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MailMvc.Web.Tests.Browser;

/// <summary>
/// One real app, one real SMTP server and one headless Chromium, shared by the tests of a class. The app runs
/// on Kestrel on a free loopback port (Development, sending over SMTP to the test server with the transcript on);
/// each test opens its own browser context with <see cref="NewPageAsync"/>. A derived fixture adds or replaces
/// settings and configures the SMTP server.
/// </summary>
public class BrowserAppFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>An address on the app's <c>DevMail:SendPreviewTo</c> list.</summary>
    public const string PreviewRecipient = "me@example.com";

    private static readonly string[] s_chromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private SmtpTestServer? _smtp;
    private BrowserAppFactory? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _workDirectory;

    /// <summary>The SMTP server the app sends to.</summary>
    internal SmtpTestServer Smtp => _smtp ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>The running app's services.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>The app's address, for example <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Where the tests' screenshots go (CI keeps them as artifacts).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}, and it is missing. " +
                "Run: bash .ci/setup (or: apt-get install -y chromium). Never run 'playwright install'.");
        }

        _smtp = await SmtpTestServer.StartAsync(SmtpOptions);
        _workDirectory = Directory.CreateTempSubdirectory("mailmvc-browser-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Debug"] = "true",
            ["Mail:Timeout"] = "00:00:10",
            ["BulkWelcome:DatabasePath"] = Path.Combine(_workDirectory, "bulk.db"),
            ["DevMail:SendPreviewTo"] = $"{PreviewRecipient}, team@example.com",
            ["Mail:Suppression:DatabasePath"] = Path.Combine(_workDirectory, "suppressions.db"),
        };
        foreach (var (key, value) in MoreSettings(_workDirectory))
        {
            settings[key] = value;
        }

        _app = new BrowserAppFactory(settings);
        _app.UseKestrel(0);
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = (addresses.FirstOrDefault(a => a.Contains("127.0.0.1", StringComparison.Ordinal)) ?? addresses.First()).TrimEnd('/');

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = s_chromiumArgs,
        });
    }

    /// <summary>How the SMTP server behaves; by default it accepts everything.</summary>
    internal virtual SmtpTestServerOptions SmtpOptions => new();

    /// <summary>Settings added to (or replacing) the defaults; <paramref name="workDirectory"/> is the fixture's own
    /// temporary folder.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings(string workDirectory) => new Dictionary<string, string?>();

    /// <summary>A page in a fresh browser context (own cookies), with the app as its base URL; the browser is in
    /// <paramref name="timeZone"/> (an IANA name) when given, else in the machine's zone.</summary>
    public async Task<IPage> NewPageAsync(string? timeZone = null)
    {
        var context = await (_browser ?? throw new InvalidOperationException("The fixture is not started.")).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-US",
            TimezoneId = timeZone,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot as <c>screenshots/{name}.png</c> beside the test assembly.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>The messages the SMTP server received that match, waiting briefly until there are <paramref name="expected"/>.</summary>
    internal async Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(Func<ReceivedMessage, bool> match, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var messages = Smtp.Messages.Where(match).ToList();
            if (messages.Count >= expected || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(100);
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        if (_workDirectory is not null)
        {
            try
            {
                Directory.Delete(_workDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing a test over.
            }
        }
    }

    private sealed class BrowserAppFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseContentRoot(AppContext.BaseDirectory);
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        }
    }
}
