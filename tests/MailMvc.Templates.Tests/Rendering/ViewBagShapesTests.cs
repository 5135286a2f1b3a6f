using System.Dynamic;
using System.Reflection;
using System.Runtime.CompilerServices;
using MailMvc.Templates.Rendering;

namespace MailMvc.Templates.Tests.Rendering;

/// <summary>
/// A view bag's hidden class must outlive a collection, or every dynamic <c>ViewBag</c> access in the templates binds
/// and compiles again after it (a fifth of a bulk run's rendering). The class is the runtime's internal
/// <c>ExpandoObject.Class</c>, read by reflection.
/// </summary>
public sealed class ViewBagShapesTests
{
    private static readonly PropertyInfo s_class = typeof(ExpandoObject).GetProperty("Class", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("ExpandoObject has no internal Class property any more: rewrite this test.");

    [Fact]
    public void Keep_ShapeSeenThenACollection_NextViewBagOfThatShapeHasTheSameClass()
    {
        var seen = SeenShape(keep: true, "BaseUrl", "Culture", "Subject", "Preheader", "KeptShapeTest");

        Collect();

        var next = ViewBag("BaseUrl", "Culture", "Subject", "Preheader", "KeptShapeTest");
        Assert.True(seen.TryGetTarget(out var kept), "The class of the shape was collected although it was kept.");
        Assert.Same(kept, s_class.GetValue(next));
    }

    [Fact]
    public void ViewBag_ShapeNotKeptThenACollection_ItsClassIsGone()
    {
        // Why Keep exists: without it the runtime drops the class, and the templates' cached bindings with it.
        var seen = SeenShape(keep: false, "BaseUrl", "Culture", "Subject", "Preheader", "UnkeptShapeTest");

        Collect();

        Assert.False(seen.TryGetTarget(out _), "The runtime kept the class itself: ViewBagShapes may no longer be needed.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<object> SeenShape(bool keep, params string[] keys)
    {
        var viewBag = ViewBag(keys);
        if (keep)
        {
            ViewBagShapes.Keep(viewBag);
        }

        return new WeakReference<object>(s_class.GetValue(viewBag)!);
    }

    private static ExpandoObject ViewBag(params string[] keys)
    {
        var viewBag = new ExpandoObject();
        IDictionary<string, object?> values = viewBag;
        foreach (var key in keys)
        {
            values[key] = null;
        }

        return viewBag;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
