using System.Net;
using MailMvc.Web.Tests.Pages;

namespace MailMvc.Web.Tests.Processes;

/// <summary>Two instances behind a balancer, each on a machine of its own (its own home folder, so its own default
/// key ring): a form served by one is accepted by the other when both keep their keys in one
/// <c>DataProtection:KeysPath</c>.</summary>
[Collection(ProcessCollection.Name)]
public sealed class SharedKeyRingProcessTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mailmvc-keyring-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task PostCompose_FormFromOneInstancePostedToAnotherSharingTheKeys_Accepted()
    {
        var keys = Path.Combine(_directory.FullName, "shared-keys");

        var status = await PostFormFromOneToTheOtherAsync(new() { ["DataProtection__KeysPath"] = keys });

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    [Fact]
    public async Task PostCompose_FormFromOneInstancePostedToAnotherWithItsOwnKeys_Refused()
    {
        var status = await PostFormFromOneToTheOtherAsync([]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    private async Task<HttpStatusCode> PostFormFromOneToTheOtherAsync(Dictionary<string, string> settings)
    {
        await using var one = await StartAsync("one", settings);
        await using var two = await StartAsync("two", settings);
        // Cookies belong to the host, not the port: the browser sends instance one's cookie to instance two, as it
        // would to the one address of a balancer.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var token = await client.GetTokenAsync(new Uri(one.BaseAddress, "compose").ToString(), "/compose");
        using var content = FormPages.Multipart(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["To"] = "ann@example.com",
            ["Subject"] = "Across instances",
            ["Message"] = "Hello",
        });

        using var response = await client.PostAsync(new Uri(two.BaseAddress, "compose"), content);

        return response.StatusCode;
    }

    private async Task<AppProcess> StartAsync(string name, Dictionary<string, string> settings)
    {
        var home = Directory.CreateDirectory(Path.Combine(_directory.FullName, name)).FullName;
        var environment = new Dictionary<string, string>(settings)
        {
            ["HOME"] = home,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["EmailTemplates__BaseUrl"] = MailMvcFactory.BaseUrl,
            ["Sending__AllowAnonymous"] = "true",
            ["Mail__SuppressSend"] = "true",
            ["BulkWelcome__DatabasePath"] = Path.Combine(home, "bulk.db"),
            ["Mail__Suppression__DatabasePath"] = Path.Combine(home, "suppressions.db"),
        };
        return await AppProcess.StartAsync(environment, home);
    }
}
