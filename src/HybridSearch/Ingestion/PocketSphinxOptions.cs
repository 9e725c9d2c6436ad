namespace HybridSearch.Ingestion;

/// <summary>Where the pocketsphinx library and model are, and how words are grouped into segments. The defaults
/// match Debian's <c>libpocketsphinx3</c> and <c>pocketsphinx-en-us</c> packages.</summary>
public sealed record PocketSphinxOptions
{
    /// <summary>Default options for Debian's packages.</summary>
    public static PocketSphinxOptions Default { get; } = new();

    /// <summary>The pocketsphinx shared library (a name for the loader's search or a path).</summary>
    public string LibraryPath { get; init; } = "libpocketsphinx.so.3";

    /// <summary>The sphinxbase shared library, which holds the configuration functions.</summary>
    public string SphinxBaseLibraryPath { get; init; } = "libsphinxbase.so.3";

    /// <summary>Acoustic model directory (<c>-hmm</c>).</summary>
    public string AcousticModelDirectory { get; init; } = "/usr/share/pocketsphinx/model/en-us/en-us";

    /// <summary>Language model (<c>-lm</c>).</summary>
    public string LanguageModelPath { get; init; } = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";

    /// <summary>Pronunciation dictionary (<c>-dict</c>).</summary>
    public string DictionaryPath { get; init; } = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";

    /// <summary>A silence at least this long ends a segment. Default 300 ms.</summary>
    public int SegmentPauseMs { get; init; } = 300;

    /// <summary>A segment holds at most this many words. Default 20.</summary>
    public int MaxWordsPerSegment { get; init; } = 20;

    /// <summary>Audio is fed to the recogniser in utterances of at most this length, cut at the quietest 100 ms
    /// in the last quarter, so memory stays bounded on long clips. Default 30 s.</summary>
    public int MaxUtteranceMs { get; init; } = 30_000;
}
