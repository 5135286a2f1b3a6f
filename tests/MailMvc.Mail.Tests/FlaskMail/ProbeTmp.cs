using System.Text;
using MimeKit;
using Xunit.Abstractions;
namespace MailMvc.Mail.Tests.FlaskMail;
public sealed class ProbeTmp(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var m = new Message(sender: "from@example.com", subject: "表題", recipients: ["foo@bar.com"], charset: "shift_jis", body: "内容");
        var text = FlaskMailFixture.AsString(m);
        output.WriteLine(text.Replace("\x1b", "<ESC>"));
        var enc = Encoding.GetEncoding("iso-2022-jp");
        output.WriteLine($"{enc.CodePage} {enc.WebName} {enc.GetType()}");
        var part = (TextPart)FlaskMailFixture.Parse(text).Body!;
        output.WriteLine(part.GetText(enc));
        output.WriteLine(part.GetText(out var e) + " via " + e?.WebName + " " + e?.CodePage);
        output.WriteLine(enc.GetString(enc.GetBytes("内容")));
    }
}
