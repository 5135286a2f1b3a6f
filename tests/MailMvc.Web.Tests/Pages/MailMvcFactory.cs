using MailMvc.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The real app, with the real renderer and the real mailer. By default: Development, sending
/// suppressed (messages are built and recorded, no server is contacted), bulk lists kept in a temporary folder.</summary>
public sealed class MailMvcFactory : WebApplicationFactory<Program>
{
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
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>A client that does not follow redirects, so a test sees the 302 and where it points.</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Program.cs roots the app at the repository (Templates/, wwwroot/, appsettings.json); the factory
        // would otherwise pick src/MailMvc.Web and the two would disagree.
        builder.UseContentRoot(AppPaths.FindContentRoot());
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
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
