namespace HybridSearch.Ingestion.Transcription;

/// <summary>Where the pocketsphinx library and model are, and how words are grouped into segments. The defaults
/// match Debian's <c>libpocketsphinx3</c> and <c>pocketsphinx-en-us</c> packages, looked up under
/// <see cref="NativeLookupRoot.FromEnvironment"/> (the installed system unless <c>HYBRIDSEARCH_NATIVE_ROOT</c> names
/// another root).</summary>
public sealed record PocketSphinxOptions
{
    private const string LibraryName = "libpocketsphinx.so.3";
    private const string SphinxBaseLibraryName = "libsphinxbase.so.3";
    private const string ModelDirectory = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Creates the <see cref="Default"/> options.</summary>
    public PocketSphinxOptions()
        : this(NativeLookupRoot.FromEnvironment())
    {
    }

    private PocketSphinxOptions(NativeLookupRoot root)
    {
        LibraryPath = root.ResolveLibrary(LibraryName);
        SphinxBaseLibraryPath = root.ResolveLibrary(SphinxBaseLibraryName);
        AcousticModelDirectory = root.ResolvePath($"{ModelDirectory}/en-us");
        LanguageModelPath = root.ResolvePath($"{ModelDirectory}/en-us.lm.bin");
        DictionaryPath = root.ResolvePath($"{ModelDirectory}/cmudict-en-us.dict");
    }

    /// <summary>Default options for Debian's packages, under the root named by <c>HYBRIDSEARCH_NATIVE_ROOT</c> when
    /// it is set (read at each access).</summary>
    public static PocketSphinxOptions Default => ForRoot(NativeLookupRoot.FromEnvironment());

    /// <summary>Default options for Debian's packages as installed under <paramref name="root"/>.</summary>
    /// <param name="root">Where the library and model are looked up.</param>
    public static PocketSphinxOptions ForRoot(NativeLookupRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new PocketSphinxOptions(root);
    }

    /// <summary>The pocketsphinx shared library (a name for the loader's search or a path).</summary>
    public string LibraryPath { get; init; }

    /// <summary>The sphinxbase shared library, which holds the configuration functions.</summary>
    public string SphinxBaseLibraryPath { get; init; }

    /// <summary>Acoustic model directory (<c>-hmm</c>).</summary>
    public string AcousticModelDirectory { get; init; }

    /// <summary>Language model (<c>-lm</c>).</summary>
    public string LanguageModelPath { get; init; }

    /// <summary>Pronunciation dictionary (<c>-dict</c>).</summary>
    public string DictionaryPath { get; init; }

    /// <summary>A silence at least this long ends a segment. Default 300 ms.</summary>
    public int SegmentPauseMs { get; init; } = 300;

    /// <summary>A segment holds at most this many words. Default 20.</summary>
    public int MaxWordsPerSegment { get; init; } = 20;

    /// <summary>Audio is fed to the recogniser in utterances of at most this length, cut at the quietest 100 ms
    /// in the last quarter, so memory stays bounded on long clips. Default 30 s.</summary>
    public int MaxUtteranceMs { get; init; } = 30_000;
}
