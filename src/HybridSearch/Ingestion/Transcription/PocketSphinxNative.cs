using System.Runtime.InteropServices;

namespace HybridSearch.Ingestion.Transcription;

/// <summary>
/// Function pointers into pocketsphinx 5prealpha (<c>libpocketsphinx.so.3</c>) and sphinxbase, resolved at run
/// time so a machine without them reports "not available" instead of failing to load the assembly. The
/// configuration is built with the non-variadic <c>cmd_ln_parse_r</c> (calling the variadic <c>cmd_ln_init</c>
/// through P/Invoke is not portable).
/// </summary>
internal sealed unsafe class PocketSphinxNative
{
    private PocketSphinxNative(nint pocketSphinx, nint sphinxBase)
    {
        PsArgs = (delegate* unmanaged<nint>)NativeLibrary.GetExport(pocketSphinx, "ps_args");
        PsInit = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(pocketSphinx, "ps_init");
        PsFree = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(pocketSphinx, "ps_free");
        PsStartStream = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(pocketSphinx, "ps_start_stream");
        PsStartUtt = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(pocketSphinx, "ps_start_utt");
        PsProcessRaw = (delegate* unmanaged<nint, short*, nuint, int, int, int>)NativeLibrary.GetExport(pocketSphinx, "ps_process_raw");
        PsEndUtt = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(pocketSphinx, "ps_end_utt");

        // 5prealpha takes only the decoder; older releases also took an int32* for the best score. Passing a valid
        // pointer as the second argument is harmless to the former and correct for the latter.
        PsSegIter = (delegate* unmanaged<nint, int*, nint>)NativeLibrary.GetExport(pocketSphinx, "ps_seg_iter");
        PsSegNext = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(pocketSphinx, "ps_seg_next");
        PsSegWord = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(pocketSphinx, "ps_seg_word");
        PsSegFrames = (delegate* unmanaged<nint, int*, int*, void>)NativeLibrary.GetExport(pocketSphinx, "ps_seg_frames");
        PsSegFree = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(pocketSphinx, "ps_seg_free");
        CmdLnParseR = (delegate* unmanaged<nint, nint, int, nint*, int, nint>)NativeLibrary.GetExport(sphinxBase, "cmd_ln_parse_r");
        CmdLnFreeR = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(sphinxBase, "cmd_ln_free_r");
    }

    public delegate* unmanaged<nint> PsArgs { get; }

    public delegate* unmanaged<nint, nint> PsInit { get; }

    public delegate* unmanaged<nint, int> PsFree { get; }

    public delegate* unmanaged<nint, int> PsStartStream { get; }

    public delegate* unmanaged<nint, int> PsStartUtt { get; }

    public delegate* unmanaged<nint, short*, nuint, int, int, int> PsProcessRaw { get; }

    public delegate* unmanaged<nint, int> PsEndUtt { get; }

    public delegate* unmanaged<nint, int*, nint> PsSegIter { get; }

    public delegate* unmanaged<nint, nint> PsSegNext { get; }

    public delegate* unmanaged<nint, nint> PsSegWord { get; }

    public delegate* unmanaged<nint, int*, int*, void> PsSegFrames { get; }

    public delegate* unmanaged<nint, void> PsSegFree { get; }

    public delegate* unmanaged<nint, nint, int, nint*, int, nint> CmdLnParseR { get; }

    public delegate* unmanaged<nint, int> CmdLnFreeR { get; }

    /// <summary>Loads both libraries and resolves every function, or says why not. The libraries stay loaded for
    /// the life of the process (unloading native code that may hold global state is not safe).</summary>
    public static bool TryLoad(PocketSphinxOptions options, out PocketSphinxNative? native, out string reason)
    {
        native = null;

        // sphinxbase is loaded first so that a pocketsphinx outside the loader's search (under a lookup root) finds
        // its dependency already loaded; a missing pocketsphinx is reported before a missing sphinxbase, since
        // installing libpocketsphinx3 brings both.
        var sphinxBaseLoaded = NativeLibrary.TryLoad(options.SphinxBaseLibraryPath, out var sphinxBase);
        if (!NativeLibrary.TryLoad(options.LibraryPath, out var pocketSphinx))
        {
            reason = $"cannot load '{options.LibraryPath}' (install libpocketsphinx3)";
            return false;
        }

        if (!sphinxBaseLoaded)
        {
            reason = $"cannot load '{options.SphinxBaseLibraryPath}' (install libsphinxbase3)";
            return false;
        }

        try
        {
            native = new PocketSphinxNative(pocketSphinx, sphinxBase);
            reason = string.Empty;
            return true;
        }
        catch (EntryPointNotFoundException exception)
        {
            reason = $"'{options.LibraryPath}' lacks an expected function (not the 5prealpha API?): {exception.Message}";
            return false;
        }
    }
}
