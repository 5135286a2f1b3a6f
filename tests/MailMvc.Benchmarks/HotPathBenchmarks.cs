using BenchmarkDotNet.Attributes;
using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web.EmailTemplates;
using MailMvc.Web.Welcome;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailMvc.Benchmarks;

/// <summary>The three steps of one welcome mail: render it, build its MIME message, write it as it goes on the wire.</summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private static readonly MailOptions s_options = new() { DefaultSender = "MailMvc <noreply@example.com>" };
    private readonly FormatOptions _wire = CreateWireFormat();
    private ServiceProvider? _provider;
    private IEmailRenderer _renderer = default!;
    private RenderedEmail _rendered = default!;
    private MimeMessage _mime = default!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _provider = new ServiceCollection().AddLogging().AddEmailTemplates(templates => templates.AddMailMvcModels()).BuildServiceProvider();
        _renderer = _provider.GetRequiredService<IEmailRenderer>();
        _rendered = await _renderer.RenderAsync("Welcome", new WelcomeModel("Ada Lovelace", "ada@example.com"));
        _mime = BuildMime();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [Benchmark]
    public Task<RenderedEmail> Render() => _renderer.RenderAsync("Welcome", new WelcomeModel("Ada Lovelace", "ada@example.com"));

    [Benchmark]
    public MimeMessage BuildMime() =>
        new Message(_rendered.Subject, ["ada@example.com"], _rendered.Text, _rendered.Html).ToMimeMessage(s_options);

    /// <summary>As the pipelined SMTP exchange writes a mail to a server with 8BITMIME, such as smtp-sink: lines up to 998
    /// characters go as they are (MimeKit's default of 78 would make the Welcome HTML quoted-printable, as only a
    /// DKIM-signed mail goes out).</summary>
    [Benchmark]
    public void WriteToWire()
    {
        _mime.Prepare(EncodingConstraint.EightBit, 998);
        _mime.WriteTo(_wire, Stream.Null);
    }

    private static FormatOptions CreateWireFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
