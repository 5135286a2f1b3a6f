using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Tests.Transport;

public sealed class SendThreadTests
{
    [Fact]
    public async Task Run_OnAnOutboxWorkersThreadCodeAwaitingWithoutConfigureAwait_CompletesInsteadOfWaitingForItself()
    {
        var finished = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        SendThread.Start("MailMvc test worker", () =>
        {
            try
            {
                // As an outbox worker runs: its own awaits come back to the thread.
                SendThreadContext.Run(async () =>
                {
                    await Task.Yield();
                    // As a user's token provider is written: an await that captures whatever context it finds.
                    var value = SendThread.Run(async () =>
                    {
                        await Task.Delay(10);
                        return 42;
                    });
                    finished.SetResult(value);
                });
            }
            catch (Exception e)
            {
                finished.TrySetException(e);
            }
        });

        Assert.Equal(42, await finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
