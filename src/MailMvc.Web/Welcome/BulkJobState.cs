namespace MailMvc.Web.Welcome;

/// <summary>Where a bulk job is in its life.</summary>
public enum BulkJobState
{
    /// <summary>Its rows are being read from the upload.</summary>
    Importing,

    /// <summary>Read and checked; nothing is sent until someone starts it.</summary>
    Checked,

    /// <summary>Rows are being sent.</summary>
    Running,

    /// <summary>Stopped for now; Resume carries on where it stopped.</summary>
    Paused,

    /// <summary>Stopped for good; the rows not sent are marked cancelled.</summary>
    Cancelled,

    /// <summary>Every row has its result.</summary>
    Finished,
}
