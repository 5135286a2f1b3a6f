using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The real app, with the real renderer and the real mailer. By default: Development, sending
/// suppressed (messages are built and recorded, no server is contacted), bulk lists kept in a temporary folder, and
/// links in mails pointing to <see cref="BaseUrl"/> (required outside Development).</summary>
public sealed class MailMvcFactory : WebApplicationFactory<Program>
{
    /// <summary>The <c>EmailTemplates:BaseUrl</c> the app is given unless a test says otherwise.</summary>
    public const string BaseUrl = "https://mailmvc.test/";

    /// <summary>The <c>Unsubscribe:SigningKey</c> the app is given unless a test says otherwise (required outside
    /// Development); made per test run, as a real key is never a constant in code.</summary>
    public static readonly string UnsubscribeKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("mailmvc-web-tests-").FullName;

    public MailMvcFactory()
        : this("Development")
    {
    }

    internal MailMvcFactory(string environment, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _environment = environment;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["Mail:SuppressSend"] = "true",
            ["BulkWelcome:DatabasePath"] = Path.Combine(_workDirectory, "bulk.db"),
            ["Mail:Suppression:DatabasePath"] = Path.Combine(_workDirectory, "suppressions.db"),
            ["EmailTemplates:BaseUrl"] = BaseUrl,
            ["Unsubscribe:SigningKey"] = UnsubscribeKey,
        };
        // A null value leaves the setting out, as if it were not configured at all.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
    }

    /// <summary>A client that does not follow redirects, so a test sees the 302 and where it points.</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Serves the app with Kestrel on a loopback port (real connections: header size limits, the client's
    /// address), and returns a client for it that keeps cookies and does not follow redirects.</summary>
    /// <remarks>The port is chosen by Kestrel's own listen options, not <c>UseKestrel(0)</c>: that overload rewrites the
    /// server's addresses after the app is built, which races with the app's own start-up binding them (dotnet/aspnetcore
    /// PR 67714; a CI run failed with "IServerAddressesFeature.Addresses cannot be modified after the server has
    /// started").</remarks>
    public HttpClient StartOnLoopback()
    {
        UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        var address = addresses.FirstOrDefault(a => a.Contains("127.0.0.1", StringComparison.Ordinal)) ?? addresses.First();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = new Uri(address.TrimEnd('/') + "/"),
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // The app's own folder, as Program.cs chooses outside Development: the build copies appsettings.json,
        // wwwroot/ and Templates/ beside the tests too. The factory would otherwise pick src/MailMvc.Web.
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        // The app decides whether to wire OpenTelemetry while it registers services, as it reads appsettings.json and the
        // environment: the settings above arrive only when the host is built, host settings before.
        foreach (var (key, value) in _settings.Where(s => s.Key.StartsWith("Telemetry:", StringComparison.Ordinal)))
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }
}
