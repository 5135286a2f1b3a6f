using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace MailMvc.Web.Infrastructure;

/// <summary>
/// Reads a posted form before anything else does, after the action's size limits apply and before the antiforgery
/// check, and answers a body that cannot be read with the error page: 413 with a sentence when it is larger than the
/// action accepts (judged from Content-Length before reading, when it is given), 400 when it is malformed or cut off.
/// Without it the antiforgery check or model binding meets the broken body, and the answer is a 500, or the form
/// rendered empty with a 200.
/// </summary>
public sealed partial class ReadFormFirstFilter : IAsyncAuthorizationFilter, IOrderedFilter
{
    private readonly ILogger<ReadFormFirstFilter> _logger;

    public ReadFormFirstFilter(ILogger<ReadFormFirstFilter> logger) => _logger = logger;

    /// <summary>After <see cref="RequestSizeLimitAttribute"/> and <see cref="RequestFormLimitsAttribute"/> (900),
    /// before the antiforgery check (1000). Registered with this order: MVC sorts a filter added by type by the
    /// order it was added with, not by <see cref="Order"/>.</summary>
    public const int FilterOrder = 950;

    public int Order => FilterOrder;

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        if (context.Result is not null || !request.HasFormContentType || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return;
        }

        var limit = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength > limit)
        {
            LogTooLarge(_logger, request.Path, request.ContentLength.Value, limit.Value);
            context.Result = ErrorPage(context, StatusCodes.Status413PayloadTooLarge);
            return;
        }

        try
        {
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            LogUnreadable(_logger, request.Path, e);
            context.Result = ErrorPage(context, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? e.StatusCode : StatusCodes.Status400BadRequest);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogUnreadable(_logger, request.Path, e);
            context.Result = ErrorPage(context, StatusCodes.Status400BadRequest);
        }
    }

    private static ViewResult ErrorPage(AuthorizationFilterContext context, int status) => new()
    {
        ViewName = "~/Views/Home/Error.cshtml",
        StatusCode = status,
        ViewData = new ViewDataDictionary<int>(context.HttpContext.RequestServices.GetRequiredService<IModelMetadataProvider>(), context.ModelState)
        {
            Model = status,
        },
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a {Length}-byte body posted to {Path}: the limit is {Limit} bytes")]
    private static partial void LogTooLarge(ILogger logger, PathString path, long length, long limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the form posted to {Path}")]
    private static partial void LogUnreadable(ILogger logger, PathString path, Exception exception);
}
