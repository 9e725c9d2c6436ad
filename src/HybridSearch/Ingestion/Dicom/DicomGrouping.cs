namespace HybridSearch.Ingestion.Dicom;

/// <summary>How folder ingestion groups DICOM instances into records.</summary>
public enum DicomGrouping
{
    /// <summary>One record per study (record id = StudyInstanceUID).</summary>
    Study,

    /// <summary>One record per series (record id = SeriesInstanceUID).</summary>
    Series,
}
