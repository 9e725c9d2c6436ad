using System.Globalization;

namespace HybridSearch.Ingestion.Dicom;

/// <summary>Which frames of a multi-frame file become images: the middle one (default), all, or frame N (1-based,
/// the last frame when the file has fewer). Single-frame files always give their one frame.</summary>
public sealed record DicomFrameSelection
{
    private DicomFrameSelection(int? frameNumber, bool all)
    {
        FrameNumber = frameNumber;
        All = all;
    }

    /// <summary>The middle frame (index <c>frames / 2</c>): for a volume or a cine loop, the most representative one.</summary>
    public static DicomFrameSelection Middle { get; } = new(null, false);

    /// <summary>Every frame, each its own image.</summary>
    public static DicomFrameSelection Every { get; } = new(null, true);

    /// <summary>The 1-based frame number, or null for middle/all.</summary>
    public int? FrameNumber { get; }

    /// <summary>True for every frame.</summary>
    public bool All { get; }

    /// <summary>Frame number <paramref name="frameNumber"/> (1-based).</summary>
    /// <param name="frameNumber">1 or more.</param>
    public static DicomFrameSelection Number(int frameNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameNumber, 1);
        return new DicomFrameSelection(frameNumber, false);
    }

    /// <summary>Parses <c>all</c>, <c>middle</c> or a 1-based frame number.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">Anything else.</exception>
    public static DicomFrameSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "all" => Every,
            "middle" => Middle,
            var number when int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 => Number(n),
            _ => throw new FormatException($"'{text}' is not a frame selection: use all, middle or a frame number from 1"),
        };
    }

    /// <summary>The 0-based frame indices selected in a file of <paramref name="frameCount"/> frames.</summary>
    /// <param name="frameCount">1 or more.</param>
    public IReadOnlyList<int> Indices(int frameCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        if (All)
        {
            return Enumerable.Range(0, frameCount).ToArray();
        }

        return [FrameNumber is { } n ? Math.Min(n, frameCount) - 1 : frameCount / 2];
    }

    /// <summary><c>all</c>, <c>middle</c> or the number.</summary>
    public override string ToString() => All ? "all" : FrameNumber?.ToString(CultureInfo.InvariantCulture) ?? "middle";
}
