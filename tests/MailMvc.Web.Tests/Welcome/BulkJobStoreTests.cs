using MailMvc.Web.Welcome;
using Microsoft.Extensions.Time.Testing;

namespace MailMvc.Web.Tests.Welcome;

/// <summary>The bulk store's promises, run against each real database by the subclasses.</summary>
public abstract class BulkJobStoreTests
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    protected abstract Task<IBulkJobStore> CreateStoreAsync();

    private async Task<(IBulkJobStore Store, string JobId)> ImportAsync(IBulkJobStore? store = null, string hash = "hash-1", params string[] emails)
    {
        store ??= await CreateStoreAsync();
        var id = BulkJobId.New();
        await store.CreateJobAsync(new BulkJob(id, "session:a", "people.csv", "", BulkJobState.Importing, 0, Time.GetUtcNow(), null, null, null), default);
        await store.AddRowsAsync(id, emails.Select((e, i) => new BulkRow(i + 2, $"Person {i}", e, BulkRowOutcome.Waiting, null)).ToList(), default);
        await store.CompleteImportAsync(id, emails.Length, hash, default);
        return (store, id);
    }

    [Fact]
    public async Task CompleteImport_AddressTwiceInTheList_LaterRowInvalidNamingTheFirstLine()
    {
        var (store, id) = await ImportAsync(emails: ["ada@example.com", "bob@example.com", "ADA@example.com "]);

        var invalid = await store.ListRowsAsync(id, [BulkRowOutcome.Invalid], 0, 10, default);

        var row = Assert.Single(invalid);
        Assert.Equal(4, row.Row);
        Assert.Equal("This address is already on line 2 of the list.", row.Detail);
        Assert.Equal(BulkJobState.Checked, (await store.GetJobAsync(id, default))!.State);
    }

    [Fact]
    public async Task ListWaitingRows_RowsWithAndWithoutLocale_EachKeepsItsLocale()
    {
        var store = await CreateStoreAsync();
        var id = BulkJobId.New();
        await store.CreateJobAsync(new BulkJob(id, "session:a", "people.csv", "", BulkJobState.Importing, 0, Time.GetUtcNow(), null, null, null), default);
        await store.AddRowsAsync(id, [
            new BulkRow(2, "Ada", "ada@example.com", BulkRowOutcome.Waiting, null, "de"),
            new BulkRow(3, "Bob", "bob@example.com", BulkRowOutcome.Waiting, null)], default);
        await store.CompleteImportAsync(id, 2, "hash-locale", default);

        var rows = await store.ListWaitingRowsAsync(id, 0, 10, default);

        Assert.Equal(["de", null], rows.Select(r => r.Locale));
    }

    [Fact]
    public async Task ClaimRunningJobs_OtherWorkersClaimExpired_TakesItAndItsSendingRowsWaitAgain()
    {
        var (store, id) = await ImportAsync(emails: ["a@example.com", "b@example.com", "c@example.com"]);
        await store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, default);
        Assert.Equal([id], await store.ClaimRunningJobsAsync("crashed", TimeSpan.FromSeconds(10), idle: true, default));
        Assert.Equal([2], await store.MarkSendingAsync(id, [2], [], default));
        await store.CompleteRowsAsync([new(id, 2, BulkRowOutcome.Sent, "m1")], default);
        Assert.Equal([3], await store.MarkSendingAsync(id, [3], [], default));

        var whileValid = await store.ClaimRunningJobsAsync("restarted", TimeSpan.FromSeconds(10), idle: true, default);
        Time.Advance(TimeSpan.FromSeconds(11));
        var afterExpiry = await store.ClaimRunningJobsAsync("restarted", TimeSpan.FromSeconds(10), idle: true, default);

        Assert.Empty(whileValid);
        Assert.Equal([id], afterExpiry);
        Assert.Equal([3, 4], (await store.ListWaitingRowsAsync(id, 0, 10, default)).Select(r => r.Row));
        Assert.Equal(1, (await store.CountAsync(id, Time.GetUtcNow().AddMinutes(-1), default))[BulkRowOutcome.Sent]);
    }

    [Fact]
    public async Task MarkSending_SeveralLinesOneCancelledWithResultsOfEarlierRows_RecordsTheResultsAndMarksOnlyTheWaitingLines()
    {
        var (store, id) = await ImportAsync(emails: ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"]);
        await store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, default);
        Assert.Equal([2, 3], await store.MarkSendingAsync(id, [2, 3], [], default));
        await store.CompleteRowsAsync([new(id, 4, BulkRowOutcome.Cancelled, null)], default);

        var marked = await store.MarkSendingAsync(id, [6, 4, 5], [new(id, 2, BulkRowOutcome.Sent, "m2"), new(id, 3, BulkRowOutcome.Refused, "550 no such user")],
            default);

        Assert.Equal([5, 6], marked);
        var rows = await ToListAsync(store.ReadRowsAsync(id, default));
        Assert.Equal([BulkRowOutcome.Sent, BulkRowOutcome.Refused, BulkRowOutcome.Cancelled, BulkRowOutcome.Sending, BulkRowOutcome.Sending],
            rows.Select(r => r.Outcome));
        Assert.Equal(["m2", "550 no such user", ""], rows.Take(3).Select(r => r.Detail));
        Assert.False(await store.FinishIfDoneAsync(id, default));
    }

    [Fact]
    public async Task CompleteRows_RowsOfTwoListsOneGivenTwice_EachRecordedWithItsLastResult()
    {
        var (store, first) = await ImportAsync(emails: ["a@example.com", "b@example.com", "c@example.com"]);
        var (_, second) = await ImportAsync(store, "hash-2", "d@example.com", "e@example.com");
        foreach (var id in new[] { first, second })
        {
            await store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, default);
        }

        Assert.Equal([2, 3, 4], await store.MarkSendingAsync(first, [2, 3, 4], [], default));
        Assert.Equal([2], await store.MarkSendingAsync(second, [2], [], default));

        await store.CompleteRowsAsync(
            [
                new(first, 2, BulkRowOutcome.Failed, "4.0.0 busy"), new(second, 2, BulkRowOutcome.Sent, "m-d"), new(first, 3, BulkRowOutcome.Refused, null),
                new(first, 2, BulkRowOutcome.Sent, "m-a"),
            ], default);

        var rows = await ToListAsync(store.ReadRowsAsync(first, default));
        Assert.Equal([(BulkRowOutcome.Sent, "m-a"), (BulkRowOutcome.Refused, ""), (BulkRowOutcome.Sending, "")], rows.Select(r => (r.Outcome, r.Detail)));
        var others = await ToListAsync(store.ReadRowsAsync(second, default));
        Assert.Equal([(BulkRowOutcome.Sent, "m-d"), (BulkRowOutcome.Waiting, "")], others.Select(r => (r.Outcome, r.Detail)));
    }

    [Fact]
    public async Task MarkSending_JobPausedByAnotherInstance_MarksNothing()
    {
        var (store, id) = await ImportAsync(emails: ["a@example.com", "b@example.com"]);
        await store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, default);
        await store.ChangeStateAsync(id, [BulkJobState.Running], BulkJobState.Paused, default);

        var marked = await store.MarkSendingAsync(id, [2, 3], [], default);

        Assert.Empty(marked);
        Assert.Equal([2, 3], (await store.ListWaitingRowsAsync(id, 0, 10, default)).Select(r => r.Row));
    }

    [Fact]
    public async Task SkipSentEarlier_SameListUploadedAgain_SkipsOnlyTheRowsSentBefore()
    {
        var (store, first) = await ImportAsync(emails: ["a@example.com", "b@example.com", "c@example.com"]);
        await store.ChangeStateAsync(first, [BulkJobState.Checked], BulkJobState.Running, default);
        await store.CompleteRowsAsync([new(first, 2, BulkRowOutcome.Sent, "m1")], default);
        await store.CompleteRowsAsync([new(first, 3, BulkRowOutcome.Failed, "4.0.0 busy")], default);
        var (_, other) = await ImportAsync(store, "another-list", "a@example.com");
        var (_, again) = await ImportAsync(store, "hash-1", "a@example.com", "b@example.com", "c@example.com");

        Assert.Equal(0, await store.CountSentEarlierAsync(other, default));
        Assert.Equal(1, await store.CountSentEarlierAsync(again, default));
        Assert.Equal(1, await store.SkipSentEarlierAsync(again, default));
        Assert.Equal([3, 4], (await store.ListWaitingRowsAsync(again, 0, 10, default)).Select(r => r.Row));
    }

    [Fact]
    public async Task ChangeState_Cancel_WaitingRowsCancelledSentRowsKept()
    {
        var (store, id) = await ImportAsync(emails: ["a@example.com", "b@example.com"]);
        await store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, default);
        await store.CompleteRowsAsync([new(id, 2, BulkRowOutcome.Sent, "m1")], default);

        Assert.True(await store.ChangeStateAsync(id, [BulkJobState.Running, BulkJobState.Paused], BulkJobState.Cancelled, default));
        Assert.False(await store.ChangeStateAsync(id, [BulkJobState.Paused], BulkJobState.Running, default));

        var counts = await store.CountAsync(id, Time.GetUtcNow(), default);
        Assert.Equal(1, counts[BulkRowOutcome.Sent]);
        Assert.Equal(1, counts[BulkRowOutcome.Cancelled]);
        Assert.Empty(await store.MarkSendingAsync(id, [3], [], default));
        Assert.NotNull((await store.GetJobAsync(id, default))!.FinishedAt);
    }

    [Fact]
    public async Task FinishIfDone_RowStillSending_WaitsUntilItsResult()
    {
        var (store, id) = await ImportAsync(emails: ["a@example.com"]);
        await store.ChangeStateAsync(id, [BulkJobState.Checked], BulkJobState.Running, default);
        await store.MarkSendingAsync(id, [2], [], default);

        var whileSending = await store.FinishIfDoneAsync(id, default);
        await store.CompleteRowsAsync([new(id, 2, BulkRowOutcome.Sent, "m1")], default);
        var afterResult = await store.FinishIfDoneAsync(id, default);

        Assert.False(whileSending);
        Assert.True(afterResult);
        Assert.Equal(BulkJobState.Finished, (await store.GetJobAsync(id, default))!.State);
    }

    [Fact]
    public async Task DeleteOldJobs_FinishedBeforeTheCutoff_RemovesTheJobAndItsRowsOnly()
    {
        var (store, old) = await ImportAsync(emails: ["a@example.com"]);
        await store.ChangeStateAsync(old, [BulkJobState.Checked], BulkJobState.Running, default);
        await store.CompleteRowsAsync([new(old, 2, BulkRowOutcome.Sent, "m1")], default);
        await store.FinishIfDoneAsync(old, default);
        Time.Advance(TimeSpan.FromDays(8));
        var (_, recent) = await ImportAsync(store, "hash-2", "b@example.com");

        var deleted = await store.DeleteOldJobsAsync(Time.GetUtcNow() - TimeSpan.FromDays(7), default);

        Assert.Equal(1, deleted);
        Assert.Null(await store.GetJobAsync(old, default));
        Assert.Empty(await ToListAsync(store.ReadRowsAsync(old, default)));
        Assert.NotNull(await store.GetJobAsync(recent, default));
    }

    [Fact]
    public async Task ListRows_HundredThousandRows_PageReadQuickly()
    {
        var store = await CreateStoreAsync();
        var id = BulkJobId.New();
        await store.CreateJobAsync(new BulkJob(id, "session:a", "big.csv", "", BulkJobState.Importing, 0, Time.GetUtcNow(), null, null, null), default);
        for (var start = 0; start < 100_000; start += 5000)
        {
            await store.AddRowsAsync(id, Enumerable.Range(start, 5000)
                .Select(i => new BulkRow(i + 2, $"Person {i}", $"p{i}@example.com", i % 1000 == 0 ? BulkRowOutcome.Invalid : BulkRowOutcome.Waiting, null)).ToList(), default);
        }

        await store.CompleteImportAsync(id, 100_000, "big", default);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var counts = await store.CountAsync(id, Time.GetUtcNow(), default);
        var problems = await store.ListRowsAsync(id, [BulkRowOutcome.Invalid], 0, 100, default);
        var last = await store.ListRowsAsync(id, [BulkRowOutcome.Waiting], 99_800, 100, default);
        clock.Stop();

        Assert.Equal(100, counts[BulkRowOutcome.Invalid]);
        Assert.Equal(100, problems.Count);
        Assert.Equal(100, last.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Counting and two pages took {clock.Elapsed.TotalMilliseconds:0} ms.");
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
