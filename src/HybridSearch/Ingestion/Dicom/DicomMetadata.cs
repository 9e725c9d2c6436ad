using System.Globalization;
using HybridSearch.Records;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>
/// Turns the tags of a data set into typed fields (<see cref="DicomFieldNames"/>). An allow-list: only the tags
/// named there are read, so no other attribute (patient identity, addresses, physicians, private tags) can reach
/// the index; the identifying tags among them are read only with <see cref="DicomIngestionOptions.KeepPhi"/>.
/// </summary>
public static class DicomMetadata
{
    /// <summary>The tags PS3.15's basic confidentiality profile removes or replaces that this library could read;
    /// without <see cref="DicomIngestionOptions.KeepPhi"/> none becomes a field.</summary>
    public static IReadOnlyList<DicomTag> PhiTags { get; } =
    [
        DicomTags.PatientName, DicomTags.PatientId, DicomTags.PatientBirthDate, DicomTags.AccessionNumber,
        DicomTags.InstitutionName, DicomTags.InstitutionAddress, DicomTags.ReferringPhysicianName, DicomTags.StationName,
        DicomTags.StudyId,
    ];

    /// <summary>The fields of a data set.</summary>
    /// <param name="dataset">The data set (a header read is enough).</param>
    /// <param name="keepPhi">Also read the patient-identifying tags.</param>
    public static Dictionary<string, FieldValue> Extract(DicomDataset dataset, bool keepPhi)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var fields = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        void Keyword(string name, DicomTag tag)
        {
            if (dataset.GetString(tag) is { } value && !value.Any(char.IsControl))
            {
                fields[name] = FieldValue.Keyword(value);
            }
        }

        void Date(string name, DicomTag tag)
        {
            if (ParseDate(dataset.GetString(tag)) is { } date)
            {
                fields[name] = FieldValue.Date(date);
            }
        }

        Keyword(DicomFieldNames.Modality, DicomTags.Modality);
        Keyword(DicomFieldNames.BodyPart, DicomTags.BodyPartExamined);
        Date(DicomFieldNames.StudyDate, DicomTags.StudyDate);
        Keyword(DicomFieldNames.StudyDescription, DicomTags.StudyDescription);
        Keyword(DicomFieldNames.SeriesDescription, DicomTags.SeriesDescription);
        Keyword(DicomFieldNames.Manufacturer, DicomTags.Manufacturer);
        if (dataset.GetDouble(DicomTags.SliceThickness) is { } thickness)
        {
            fields[DicomFieldNames.SliceThickness] = FieldValue.Number(thickness);
        }

        if (ParseAge(dataset.GetString(DicomTags.PatientAge)) is { } age)
        {
            fields[DicomFieldNames.PatientAge] = FieldValue.Number(age);
        }

        Keyword(DicomFieldNames.PatientSex, DicomTags.PatientSex);
        Keyword(DicomFieldNames.StudyInstanceUid, DicomTags.StudyInstanceUid);
        Keyword(DicomFieldNames.SeriesInstanceUid, DicomTags.SeriesInstanceUid);
        Keyword(DicomFieldNames.SopInstanceUid, DicomTags.SopInstanceUid);
        if (keepPhi)
        {
            Keyword(DicomFieldNames.PatientName, DicomTags.PatientName);
            Keyword(DicomFieldNames.PatientId, DicomTags.PatientId);
            Date(DicomFieldNames.PatientBirthDate, DicomTags.PatientBirthDate);
            Keyword(DicomFieldNames.AccessionNumber, DicomTags.AccessionNumber);
            Keyword(DicomFieldNames.InstitutionName, DicomTags.InstitutionName);
            Keyword(DicomFieldNames.ReferringPhysicianName, DicomTags.ReferringPhysicianName);
        }

        return fields;
    }

    /// <summary>A DA value (<c>YYYYMMDD</c>, or the old <c>YYYY.MM.DD</c>) as midnight UTC; null when absent or invalid.</summary>
    /// <param name="value">The text.</param>
    public static DateTimeOffset? ParseDate(string? value)
    {
        var text = value?.Replace(".", string.Empty, StringComparison.Ordinal).Trim();
        return text is { Length: 8 } && DateTime.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? new DateTimeOffset(date, TimeSpan.Zero)
            : null;
    }

    /// <summary>An AS value (<c>nnnD</c>, <c>nnnW</c>, <c>nnnM</c>, <c>nnnY</c>) in years; null when absent or invalid.</summary>
    /// <param name="value">The text.</param>
    public static double? ParseAge(string? value)
    {
        if (value is not { Length: >= 2 } || !int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        return char.ToUpperInvariant(value[^1]) switch
        {
            'Y' => number,
            'M' => number / 12.0,
            'W' => number * 7 / 365.25,
            'D' => number / 365.25,
            _ => null,
        };
    }
}
