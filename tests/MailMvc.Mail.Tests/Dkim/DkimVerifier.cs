using System.Diagnostics;

namespace MailMvc.Mail.Tests.Dkim;

/// <summary>dkimpy (<c>dkim_verify.py</c>), run on a message as the SMTP server received it.</summary>
internal static class DkimVerifier
{
    private const string Python = "/usr/bin/python3";

    /// <returns>"pass", or "fail: why".</returns>
    public static async Task<string> VerifyAsync(string message, string publicKey)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Dkim", "dkim_verify.py"));
        start.ArgumentList.Add(publicKey);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        await process.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(message));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dkim_verify.py failed ({errors.Trim()}). Run: apt-get install -y python3-dkim");
        }

        return output.Trim();
    }
}
