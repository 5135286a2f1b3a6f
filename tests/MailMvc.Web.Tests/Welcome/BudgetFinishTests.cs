using MailMvc.Mail;
using MailMvc.Mail.Transport;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Welcome;

/// <summary>The bulk page's finish estimate when the sending budgets set the pace.</summary>
public sealed class BudgetFinishTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_midnight = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_TwoHundredMailsAtTwentyASecond_TenSecondsFromNow()
    {
        var finish = BudgetFinish.For([Server(new RateLimitOptions { PerSecond = 20 }, usedToday: 0)], 200, s_now);

        Assert.Equal((s_now.AddSeconds(10), "20 a second"), (finish!.At, finish.Budget));
    }

    [Fact]
    public void For_TwoServersOfTenASecondAndSixHundredAMinute_TheirRatesAdded()
    {
        var finish = BudgetFinish.For(
            [Server(new RateLimitOptions { PerSecond = 10 }, 0), Server(new RateLimitOptions { PerSecond = 30, PerMinute = 600 }, 0, "b:25")], 200, s_now);

        Assert.Equal(s_now.AddSeconds(10), finish!.At);
    }

    [Fact]
    public void For_EightMailsFiveADayNoneLeftToday_TheLastGoesAtMidnightTheDayAfterTomorrow()
    {
        var finish = BudgetFinish.For([Server(new RateLimitOptions { PerDay = 5 }, usedToday: 5)], 8, s_now);

        Assert.Equal((s_midnight.AddDays(1), "5 a day (0 left today)"), (finish!.At, finish.Budget));
    }

    [Fact]
    public void For_DailyBrakeTighterThanTheServer_TheBrakeSetsTheDays()
    {
        var finish = BudgetFinish.For(
            [Server(new RateLimitOptions { PerSecond = 100, PerDay = 1000 }, 0),
             new SendBudgetReport(new ConfiguredSendBudget(SendBudgets.AllMail, "Mail:DailyLimit", new RateLimitOptions { PerDay = 10 }),
                new SendBudgetState(4, s_midnight))],
            16, s_now);

        Assert.Equal(s_midnight.AddSeconds(0.1), finish!.At);
    }

    [Fact]
    public void For_ServerWithoutABudgetAndRoomToday_Null()
    {
        Assert.Null(BudgetFinish.For([Server(new RateLimitOptions { PerDay = 100 }, 0)], 50, s_now));
        Assert.Null(BudgetFinish.For([], 50, s_now));
    }

    private static SendBudgetReport Server(RateLimitOptions limits, long usedToday, string name = "a:25") =>
        new(new ConfiguredSendBudget(name, "Mail:RateLimit", limits), new SendBudgetState(usedToday, s_midnight));
}
