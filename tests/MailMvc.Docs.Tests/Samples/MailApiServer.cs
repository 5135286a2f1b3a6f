using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailMvc.Docs.Tests.Samples;

/// <summary>A real HTTP server on a free loopback port that plays the mail API: it answers <c>POST /v1/messages</c>
/// with the status the test chooses and keeps what it was posted.</summary>
internal sealed class MailApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<PostedMail> _posted = Channel.CreateUnbounded<PostedMail>();

    private MailApiServer(WebApplication app) => _app = app;

    /// <summary>The status the next posts are answered with.</summary>
    public int Status { get; set; } = StatusCodes.Status202Accepted;

    /// <summary>The API's base address, as the transport's HTTP client is given it.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<MailApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new MailApiServer(app);
        app.MapPost("/v1/messages", async (HttpRequest request) =>
        {
            // Read before the test sees the post: it may change the status for the next one as soon as it does.
            var status = server.Status;
            using var reader = new StreamReader(request.Body);
            var mime = await reader.ReadToEndAsync();
            await server._posted.Writer.WriteAsync(new PostedMail(request.ContentType, request.Headers["X-Envelope-To"].ToString(), mime));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address + "/v1/");
        return server;
    }

    /// <summary>The next mail posted, waiting at most ten seconds for it.</summary>
    public async Task<PostedMail> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _posted.Reader.ReadAsync(timeout.Token);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
