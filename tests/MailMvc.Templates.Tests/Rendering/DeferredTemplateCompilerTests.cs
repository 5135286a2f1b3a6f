using MailMvc.Templates.Rendering;
using RazorLight.Compilation;

namespace MailMvc.Templates.Tests.Rendering;

public sealed class DeferredTemplateCompilerTests
{
    [Fact]
    public async Task CompileAsync_SeveralFirstCompilationsAtOnce_MakesOneCompilerForAll()
    {
        const int Compilations = 8;
        var arrived = 0;
        var made = 0;
        var deferred = new DeferredTemplateCompiler(() =>
        {
            Interlocked.Increment(ref made);
            // Every other compilation has started by the time this compiler is made: without the lock each would make its own.
            SpinWait.SpinUntil(() => Volatile.Read(ref arrived) == Compilations, TimeSpan.FromSeconds(10));
            return new KeyCompiler();
        });
        Assert.False(deferred.IsCreated);

        using var start = new Barrier(Compilations);
        // A thread each, so all of them wait at the barrier together without waiting for the pool to grow.
        var keys = await Task.WhenAll(Enumerable.Range(0, Compilations).Select(i => Task.Factory.StartNew(async () =>
        {
            start.SignalAndWait();
            Interlocked.Increment(ref arrived);
            return (await deferred.CompileAsync($"T{i}.cshtml")).TemplateKey;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

        Assert.Equal(1, made);
        Assert.True(deferred.IsCreated);
        Assert.Equal(Enumerable.Range(0, Compilations).Select(i => $"T{i}.cshtml"), keys);
    }

    [Fact]
    public async Task CompileAsync_CompilerCouldNotBeMade_FailsAsACompilationAndTriesAgainNextTime()
    {
        var attempts = 0;
        var deferred = new DeferredTemplateCompiler(() => ++attempts == 1
            ? throw new IOException("The file MailMvc.Web.dll is in use.")
            : new KeyCompiler());

        var failure = await Assert.ThrowsAsync<TemplateCompilerSetupException>(() => deferred.CompileAsync("Welcome.cshtml"));
        var compiled = await deferred.CompileAsync("Welcome.cshtml");

        Assert.StartsWith("The email template compiler could not be set up (The file MailMvc.Web.dll is in use.)", failure.Message,
            StringComparison.Ordinal);
        Assert.IsType<IOException>(failure.InnerException);
        Assert.Equal("Welcome.cshtml", compiled.TemplateKey);
        Assert.Equal(2, attempts);
        Assert.True(deferred.IsCreated);
    }

    /// <summary>Stands in for RazorLight's compiler: "compiles" a key into a descriptor naming it.</summary>
    private sealed class KeyCompiler : IRazorTemplateCompiler
    {
        public ICompilationService CompilationService => throw new NotSupportedException();

        public Task<CompiledTemplateDescriptor> CompileAsync(string templateKey) =>
            Task.FromResult(new CompiledTemplateDescriptor { TemplateKey = templateKey });
    }
}
