using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// A local OAuth2 token endpoint on loopback (Kestrel): HTTPS with the test certificate for MSAL, which takes only https
/// authorities, and plain HTTP for Google's library. Every POST to a path ending in <c>/token</c> hands out the next of
/// the given tokens (the last one again when they run out) with the given lifetime, and is counted.
/// </summary>
internal sealed class TokenEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<string> _tokens;
    private readonly int _expiresInSeconds;
    private readonly ConcurrentQueue<TokenEndpointRequest> _requests = new();
    private readonly string? _refusal;
    private int _issued;

    private TokenEndpoint(WebApplication app, IReadOnlyList<string> tokens, int expiresInSeconds, string? refusal)
    {
        _app = app;
        _tokens = tokens;
        _expiresInSeconds = expiresInSeconds;
        _refusal = refusal;
    }

    /// <summary>The https address (for MSAL's authority), such as <c>https://127.0.0.1:41234</c>.</summary>
    public Uri HttpsAddress { get; private set; } = null!;

    /// <summary>The plain http address (for a Google key file's <c>token_uri</c>).</summary>
    public Uri HttpAddress { get; private set; } = null!;

    /// <summary>The token requests received, in order.</summary>
    public IReadOnlyList<TokenEndpointRequest> Requests => [.. _requests];

    /// <summary>Starts the endpoint on two free loopback ports.</summary>
    /// <param name="tokens">The access tokens handed out, in order; the last one repeats.</param>
    /// <param name="expiresInSeconds">The <c>expires_in</c> of every token.</param>
    /// <param name="refusal">When set, every request is answered 401 with this OAuth2 error body (JSON) instead.</param>
    public static async Task<TokenEndpoint> StartAsync(IReadOnlyList<string> tokens, int expiresInSeconds = 3600, string? refusal = null)
    {
        var (certificatePem, keyPem) = TestCertificate.Pem;
        using var pem = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var endpoint = new TokenEndpoint(app, tokens, expiresInSeconds, refusal);
        app.Run(endpoint.HandleAsync);
        await app.StartAsync();
        var addresses = app.Urls.Select(u => new Uri(u)).ToList();
        endpoint.HttpsAddress = addresses.Single(u => u.Scheme == Uri.UriSchemeHttps);
        endpoint.HttpAddress = addresses.Single(u => u.Scheme == Uri.UriSchemeHttp);
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Value!.EndsWith("/token", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"No such endpoint: {context.Request.Method} {context.Request.Path}");
            return;
        }

        var form = await context.Request.ReadFormAsync();
        var index = Math.Min(Interlocked.Increment(ref _issued) - 1, _tokens.Count - 1);
        _requests.Enqueue(new TokenEndpointRequest(context.Request.Path.Value!, form.ToDictionary(f => f.Key, f => f.Value.ToString())));
        context.Response.ContentType = "application/json";
        if (_refusal is not null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync(_refusal);
            return;
        }

        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = _expiresInSeconds,
            ["ext_expires_in"] = _expiresInSeconds,
            ["access_token"] = _tokens[index],
        }));
    }
}
