namespace HybridSearch.Embedding;

/// <summary>How an image is brought to the square input of an image model.</summary>
public enum ImageFit
{
    /// <summary>Scale so the shorter side fills the square, then cut the centre (keeps the aspect ratio, loses the
    /// edges of non-square images). This is what ML.NET's default <c>ResizeImages</c> (IsoCrop, centre anchor) does
    /// before the ResNet featurizer, and what ImageNet-trained models expect.</summary>
    CenterCrop = 0,

    /// <summary>Scale each side independently to the square (keeps all content, distorts the aspect ratio).</summary>
    Stretch = 1,
}
