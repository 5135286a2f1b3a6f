using System.Globalization;

namespace MailMvc.Benchmarks;

/// <summary>The arguments of the <c>bulk</c> command.</summary>
internal sealed record BulkOptions(string Host, int Port, int Count, int Connections, bool Debug, string? Queued, string? ConnectionString)
{
    /// <summary>Each mail its own <c>SendAsync</c>, this many at once, as web requests send (<c>--requests C</c>); null for bulk.</summary>
    public int? Requests { get; init; }

    /// <summary><c>EmailTemplates:InlineCss</c>: false with <c>--no-inline-css</c>, to time the renderer's CSS inlining.</summary>
    public bool InlineCss { get; init; } = true;

    /// <summary><c>Mail:PoolSize</c> (<c>--pool N</c>): idle connections kept for the next send.</summary>
    public int Pool { get; init; }

    public static BulkOptions Parse(IReadOnlyList<string> args)
    {
        string host = "127.0.0.1";
        int port = 2525, count = 10_000, connections = 1;
        var debug = false;
        string? queued = null, connectionString = null;
        int? requests = null;
        var pool = 0;
        var inlineCss = true;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--host": host = Next(); break;
                case "--port": port = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--count": count = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--debug": debug = true; break;
                case "--queued": queued = Next(); break;
                case "--connection-string": connectionString = Next(); break;
                case "--requests": requests = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--pool": pool = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-inline-css": inlineCss = false; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (queued is not null and not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--queued takes sqlite or postgres.");
        }

        return new BulkOptions(host, port, count, connections, debug, queued, connectionString) { Requests = requests, Pool = pool, InlineCss = inlineCss };
    }
}
