using System.Globalization;

namespace MailMvc.Benchmarks;

/// <summary>The arguments of the <c>compose</c> command.</summary>
internal sealed record ComposeOptions(string Host, int Port, int Count, int Concurrency)
{
    /// <summary><c>Mail:PoolSize</c> for the app (<c>--pool N</c>, 0 turns pooling off); null keeps the app's appsettings.json.</summary>
    public int? Pool { get; init; }

    /// <summary>Compose POSTs sent (and not timed) before the timed ones, after start-up (<c>--warmup N</c>).</summary>
    public int Warmup { get; init; }

    /// <summary>The web app to run (<c>--app PATH</c>, its <c>MailMvc.Web.dll</c>); null: the Release build in this repository.</summary>
    public string? App { get; init; }

    /// <summary>With <c>--verify-dump DIR</c>: after the run, read the mails <c>smtp-sink -d DIR/…</c> wrote there and check
    /// that each POST's mail arrived exactly once.</summary>
    public string? VerifyDump { get; init; }

    public static ComposeOptions Parse(IReadOnlyList<string> args)
    {
        string host = "127.0.0.1";
        int port = 2525, count = 2_000, concurrency = 16, warmup = 0;
        int? pool = null;
        string? app = null, verifyDump = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--host": host = Next(); break;
                case "--port": port = NextInt(); break;
                case "--count": count = NextInt(); break;
                case "--concurrency": concurrency = NextInt(); break;
                case "--pool": pool = NextInt(); break;
                case "--warmup": warmup = NextInt(); break;
                case "--app": app = Next(); break;
                case "--verify-dump": verifyDump = Next(); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }

        if (count < 1 || concurrency < 1 || warmup < 0 || pool < 0)
        {
            throw new ArgumentException("--count and --concurrency must be at least 1, --warmup and --pool at least 0.");
        }

        return new ComposeOptions(host, port, count, concurrency) { Pool = pool, Warmup = warmup, App = app, VerifyDump = verifyDump };
    }
}
