using BenchmarkDotNet.Running;
using MailMvc.Benchmarks;
using MailMvc.Templates;

// bulk: the end-to-end figure line; micro: BenchmarkDotNet on the hot path (render, build MIME, write).
return args.FirstOrDefault() switch
{
    "bulk" => await BulkBenchmark.RunAsync(BulkOptions.Parse(args[1..])),
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
    Console.Error.WriteLine("usage: bulk --host H --port P --count N --connections C [--queued sqlite|postgres [--connection-string S]] [--requests CONCURRENCY [--pool N]] [--debug] | micro [BenchmarkDotNet args]");
    return 2;
}
