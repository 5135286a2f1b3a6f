using BenchmarkDotNet.Running;
using MailMvc.Benchmarks;
using MailMvc.Templates;

// bulk: the end-to-end figure line; compose: one mail per web request through the running app; micro: BenchmarkDotNet on the hot path (render, build MIME, write).
return args.FirstOrDefault() switch
{
    "bulk" => await BulkBenchmark.RunAsync(BulkOptions.Parse(args[1..])),
    "compose" => await ComposeBenchmark.RunAsync(ComposeOptions.Parse(args[1..])),
    "micro" => RunMicro(args[1..]),
    EmailTemplatePrecompiler.Command => await BulkBenchmark.PrecompileTemplatesAsync(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: bulk --host H --port P --count N --connections C [--queued sqlite|postgres [--connection-string S]] [--requests CONCURRENCY [--pool N]] [--debug] | compose --host H --port P --count N --concurrency C [--pool N] [--warmup N] [--app PATH] [--verify-dump DIR] | micro [BenchmarkDotNet args]");
    return 2;
}
