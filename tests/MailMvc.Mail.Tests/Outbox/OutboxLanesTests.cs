using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The lanes that hand mail stored in this process to its own delivery workers (their logic; the delivery
/// tests show them at work against real databases and an SMTP server).</summary>
public sealed class OutboxLanesTests
{
    [Fact]
    public void Reserve_TwoLanes_GivesTheOneHoldingFewerUntilNeitherHasRoom()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var first = lanes.Open("w/1");
        var second = lanes.Open("w/2");

        var a = lanes.Reserve(32, 0);
        var b = lanes.Reserve(32, 0);
        var c = lanes.Reserve(20, 0);
        var d = lanes.Reserve(20, 0);
        var e = lanes.Reserve(20, 0);

        Assert.Same(first, a);
        Assert.Same(second, b);
        Assert.Same(first, c);
        Assert.Same(second, d);
        // Each holds 52 of 64: 20 more fit in neither.
        Assert.Null(e);
    }

    [Fact]
    public void Reserve_NoWorkerRuns_GivesNoLane()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var lane = lanes.Open("w/1");
        lanes.Close(lane);

        Assert.Null(lanes.Reserve(1, 0));
    }

    [Fact]
    public void Reserve_OneWorkerRestingAfterAnError_GivesTheOtherLaneUntilItIsBack()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var resting = lanes.Open("w/1");
        var other = lanes.Open("w/2");

        lanes.Rest(resting, resting: true);
        var whileResting = lanes.Reserve(1, 0);
        lanes.Close(other);
        var onlyTheRestingOneLeft = lanes.Reserve(1, 0);
        lanes.Rest(resting, resting: false);
        var back = lanes.Reserve(1, 0);

        Assert.Same(other, whileResting);
        Assert.Null(onlyTheRestingOneLeft);
        Assert.Same(resting, back);
    }

    [Fact]
    public void Take_FortyHandedOverInTwoBatches_TakesAtMostABatchOldestFirstWithTheEarliestClaimTime()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var lane = lanes.Open("w/1");
        var reserved = lanes.Reserve(20, 0);
        Assert.True(lanes.HandOver(reserved!, Items(1, 20), claimedAt: 100));
        Assert.True(lanes.HandOver(lanes.Reserve(20, 0)!, Items(21, 20), claimedAt: 200));

        var first = lanes.Take(lane, 25, out var firstClaimedAt);
        var second = lanes.Take(lane, 25, out var secondClaimedAt);
        var third = lanes.Take(lane, 25, out _);

        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), first.Select(i => i.Id));
        Assert.Equal(100, firstClaimedAt);
        Assert.Equal(Enumerable.Range(26, 15).Select(i => (long)i), second.Select(i => i.Id));
        Assert.Equal(200, secondClaimedAt);
        Assert.Empty(third);
        // All taken: the lane has its whole room again.
        Assert.Same(lane, lanes.Reserve(64, 0));
    }

    [Fact]
    public void Close_MailsWaiting_ReturnsThemAndRefusesLaterHandOvers()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var lane = lanes.Open("w/1");
        var reservedEarlier = lanes.Reserve(3, 0)!;
        Assert.True(lanes.HandOver(lanes.Reserve(2, 0)!, Items(1, 2), claimedAt: 1));

        var waiting = lanes.Close(lane);
        var handedAfter = lanes.HandOver(reservedEarlier, Items(3, 3), claimedAt: 2);

        Assert.Equal([1L, 2L], waiting.Select(i => i.Id));
        Assert.False(handedAfter);
    }

    [Fact]
    public async Task HandOver_WorkerWaiting_WakesIt()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var lane = lanes.Open("w/1");
        var waiting = lane.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);

        lanes.HandOver(lanes.Reserve(1, 0)!, Items(1, 1), claimedAt: 1);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void MustClaim_AfterAClaim_OnlyOnceWokenOrThePollIntervalHasPassed()
    {
        var time = new FakeTimeProvider();
        var poll = TimeSpan.FromSeconds(1);
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1 << 20);
        var lane = lanes.Open("w/1");

        var beforeFirstClaim = lane.MustClaim(time, poll);
        lane.Claiming(time);
        var justAfter = lane.MustClaim(time, poll);
        time.Advance(TimeSpan.FromMilliseconds(999));
        var beforeThePoll = lane.MustClaim(time, poll);
        lanes.WakeAll();
        var woken = lane.MustClaim(time, poll);
        lane.Claiming(time);
        time.Advance(poll);
        var atThePoll = lane.MustClaim(time, poll);

        Assert.Equal((true, false, false, true, true), (beforeFirstClaim, justAfter, beforeThePoll, woken, atThePoll));
    }

    [Fact]
    public void Reserve_MailsLargerThanTheRoomLeftInBytes_NoLaneUntilItsWorkerTakesWhatWaits()
    {
        var lanes = new OutboxLanes(capacity: 64, byteCapacity: 1000);
        var lane = lanes.Open("w/1");
        var large = Items(1, 2, mimeBytes: 300);

        Assert.True(lanes.HandOver(lanes.Reserve(2, 600)!, large, claimedAt: 1));
        var whileWaiting = lanes.Reserve(1, 500);
        var tooLargeForAnyLane = lanes.Reserve(1, 1001);
        lanes.Take(lane, 32, out _);
        var afterTaking = lanes.Reserve(1, 500);

        Assert.Null(whileWaiting);
        Assert.Null(tooLargeForAnyLane);
        Assert.Same(lane, afterTaking);
    }

    private static List<OutboxItem> Items(int firstId, int count, int mimeBytes = 0) =>
        Enumerable.Range(firstId, count).Select(id => new OutboxItem(id, $"<{id}@example.com>", null, "a@example.com", "b@example.com", null, new byte[mimeBytes], 1, default)).ToList();
}
