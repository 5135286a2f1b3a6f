using System.Reflection;
using MailMvc.Web.Welcome;
using Microsoft.Data.Sqlite;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The app's bulk store, failing once as a database can: the <c>N</c>th call marking rows sending throws
/// (nothing marked, nothing recorded), every other call goes through.</summary>
public class FailingBulkJobStore : DispatchProxy
{
    private IBulkJobStore _inner = null!;
    private int _failAtMark;
    private int _marks;

    /// <summary>True once the failure happened.</summary>
    public bool Failed => Volatile.Read(ref _marks) >= _failAtMark;

    public static (IBulkJobStore Store, FailingBulkJobStore Control) Wrap(IBulkJobStore inner, int failAtMark)
    {
        var store = Create<IBulkJobStore, FailingBulkJobStore>();
        var control = (FailingBulkJobStore)(object)store;
        control._inner = inner;
        control._failAtMark = failAtMark;
        return (store, control);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IBulkJobStore.MarkSendingAsync) && Interlocked.Increment(ref _marks) == _failAtMark)
        {
            return Task.FromException<IReadOnlyList<int>>(new SqliteException("database is locked (a test's failure)", 5));
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
