using Lucene.Net.Codecs;

namespace HybridSearch.Codecs;

/// <summary>Adds the codec and the vectors format to Lucene.Net's name-based service factories.</summary>
internal static class HybridCodecRegistration
{
    private static readonly object Gate = new();
    private static volatile bool _registered;

    public static void Ensure()
    {
        if (_registered)
        {
            return;
        }

        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            if (!Resolves(() => Codec.ForName(HybridCodec.CodecName)))
            {
                var current = Codec.GetCodecFactory();
                if (current.GetType() != typeof(DefaultCodecFactory))
                {
                    throw new InvalidOperationException(
                        $"A custom Lucene codec factory ({current.GetType().FullName}) is installed and does not know codec '{HybridCodec.CodecName}'; add typeof(HybridCodec) to it.");
                }

                Codec.SetCodecFactory(new DefaultCodecFactory { CustomCodecTypes = [typeof(HybridCodec)] });
            }

            if (!Resolves(() => DocValuesFormat.ForName(HnswVectorsFormat.FormatName)) || !Resolves(() => DocValuesFormat.ForName(HnswVectors10Format.FormatName)))
            {
                var current = DocValuesFormat.GetDocValuesFormatFactory();
                if (current.GetType() != typeof(DefaultDocValuesFormatFactory))
                {
                    throw new InvalidOperationException(
                        $"A custom Lucene doc values format factory ({current.GetType().FullName}) is installed and does not know formats '{HnswVectorsFormat.FormatName}' and '{HnswVectors10Format.FormatName}'; add typeof(HnswVectorsFormat) and typeof(HnswVectors10Format) to it.");
                }

                DocValuesFormat.SetDocValuesFormatFactory(new DefaultDocValuesFormatFactory { CustomDocValuesFormatTypes = [typeof(HnswVectorsFormat), typeof(HnswVectors10Format)] });
            }

            _registered = true;
        }
    }

    private static bool Resolves(Func<object> lookup)
    {
        try
        {
            return lookup() is not null;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
