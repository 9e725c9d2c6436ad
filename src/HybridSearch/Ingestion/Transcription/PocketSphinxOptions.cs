namespace HybridSearch.Ingestion.Transcription;

/// <summary>Where the pocketsphinx library and model are, and how words are grouped into segments. The defaults
/// match Debian's <c>libpocketsphinx3</c> and <c>pocketsphinx-en-us</c> packages, looked up under
/// <see cref="NativeLookupRoot.FromEnvironment"/> (the installed system unless <c>HYBRIDSEARCH_NATIVE_ROOT</c> names
/// another root). Every setting is checked when set, also in <c>with</c>.</summary>
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
    /// <exception cref="ArgumentException">The value is null or blank.</exception>
    public string LibraryPath
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("LibraryPath must not be blank.", nameof(LibraryPath));
    }

    /// <summary>The sphinxbase shared library, which holds the configuration functions.</summary>
    /// <exception cref="ArgumentException">The value is null or blank.</exception>
    public string SphinxBaseLibraryPath
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("SphinxBaseLibraryPath must not be blank.", nameof(SphinxBaseLibraryPath));
    }

    /// <summary>Acoustic model directory (<c>-hmm</c>).</summary>
    /// <exception cref="ArgumentException">The value is null or blank.</exception>
    public string AcousticModelDirectory
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("AcousticModelDirectory must not be blank.", nameof(AcousticModelDirectory));
    }

    /// <summary>Language model (<c>-lm</c>).</summary>
    /// <exception cref="ArgumentException">The value is null or blank.</exception>
    public string LanguageModelPath
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("LanguageModelPath must not be blank.", nameof(LanguageModelPath));
    }

    /// <summary>Pronunciation dictionary (<c>-dict</c>).</summary>
    /// <exception cref="ArgumentException">The value is null or blank.</exception>
    public string DictionaryPath
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("DictionaryPath must not be blank.", nameof(DictionaryPath));
    }

    /// <summary>A silence at least this long ends a segment. Default 300 ms.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 0.</exception>
    public int SegmentPauseMs
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(SegmentPauseMs), value, "SegmentPauseMs must be 0 ms or more.");
    } = 300;

    /// <summary>A segment holds at most this many words. Default 20.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxWordsPerSegment
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxWordsPerSegment), value, "MaxWordsPerSegment must be 1 or more.");
    } = 20;

    /// <summary>Audio is fed to the recogniser in utterances of at most this length, cut at the quietest 100 ms
    /// in the last quarter, so memory stays bounded on long clips. Default 30 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than <see cref="MinUtteranceMs"/>.</exception>
    public int MaxUtteranceMs
    {
        get;
        init => field = value >= MinUtteranceMs ? value : throw new ArgumentOutOfRangeException(nameof(MaxUtteranceMs), value, $"MaxUtteranceMs must be {MinUtteranceMs} ms or more.");
    } = 30_000;

    /// <summary>Shortest <see cref="MaxUtteranceMs"/>: an utterance is cut at the quietest 100 ms of its last quarter,
    /// so it must hold several such windows.</summary>
    public const int MinUtteranceMs = 1000;
}
