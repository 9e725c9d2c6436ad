using Google.Protobuf;

namespace HybridSearch.Embedding;

/// <summary>
/// Rewrites an ONNX model whose graph inputs and outputs declare a fixed batch size of 1 so that the leading dimension is
/// symbolic, which lets one <c>Run</c> process a whole batch. Only the declared shapes change; the nodes and weights are
/// copied as they are. This is valid only for graphs whose operators do not bake the batch size in (no Reshape to a
/// constant shape): the ResNet18 and ResNet preprocessing graphs shipped by ML.NET use only Conv, BatchNormalization,
/// Relu, Add, pooling, Split, Concat and a broadcast Sub.
/// </summary>
internal static class OnnxBatchDimension
{
    // Field numbers from onnx.proto (ModelProto, GraphProto, ValueInfoProto, TypeProto, TensorShapeProto).
    private const int ModelGraph = 7;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int GraphValueInfo = 13;
    private const int ValueInfoType = 2;
    private const int TypeTensorType = 1;
    private const int TensorTypeShape = 2;
    private const int ShapeDim = 1;
    private const int DimensionParam = 2;

    /// <summary>Returns a copy of <paramref name="model"/> whose graph inputs and outputs have the symbolic leading
    /// dimension <paramref name="dimensionName"/>. Intermediate value_info shapes are dropped so that ONNX Runtime
    /// infers them again from the new input shape instead of contradicting it.</summary>
    public static byte[] MakeDynamic(byte[] model, string dimensionName)
    {
        return RewriteMessage(model, (field, payload, output) =>
        {
            if (field != ModelGraph)
            {
                return false;
            }

            WriteBytesField(output, field, RewriteGraph(payload, dimensionName));
            return true;
        });
    }

    private static byte[] RewriteGraph(byte[] graph, string dimensionName) =>
        RewriteMessage(graph, (field, payload, output) =>
        {
            switch (field)
            {
                case GraphValueInfo:
                    return true; // dropped
                case GraphInput:
                case GraphOutput:
                    WriteBytesField(output, field, RewriteNested(payload, [ValueInfoType, TypeTensorType, TensorTypeShape], dimensionName));
                    return true;
                default:
                    return false;
            }
        });

    // Descends along the given field path and replaces the first dimension of the TensorShapeProto found at its end.
    private static byte[] RewriteNested(byte[] message, ReadOnlySpan<int> path, string dimensionName)
    {
        if (path.IsEmpty)
        {
            return ReplaceFirstDimension(message, dimensionName);
        }

        int head = path[0];
        int[] rest = path[1..].ToArray();
        return RewriteMessage(message, (field, payload, output) =>
        {
            if (field != head)
            {
                return false;
            }

            WriteBytesField(output, field, RewriteNested(payload, rest, dimensionName));
            return true;
        });
    }

    private static byte[] ReplaceFirstDimension(byte[] shape, string dimensionName)
    {
        bool replaced = false;
        byte[] symbolic = Encode(output =>
        {
            output.WriteTag(DimensionParam, WireFormat.WireType.LengthDelimited);
            output.WriteString(dimensionName);
        });
        return RewriteMessage(shape, (field, payload, output) =>
        {
            if (field != ShapeDim || replaced)
            {
                return false;
            }

            replaced = true;
            WriteBytesField(output, field, symbolic);
            return true;
        });
    }

    /// <summary>Copies every field of a message, letting <paramref name="rewrite"/> take over length-delimited fields
    /// (it returns true when it wrote or deliberately dropped the field).</summary>
    private static byte[] RewriteMessage(byte[] message, Func<int, byte[], CodedOutputStream, bool> rewrite) =>
        Encode(output =>
        {
            var input = new CodedInputStream(message);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(tag);
                switch (WireFormat.GetTagWireType(tag))
                {
                    case WireFormat.WireType.Varint:
                        output.WriteTag(tag);
                        output.WriteUInt64(input.ReadUInt64());
                        break;
                    case WireFormat.WireType.Fixed32:
                        output.WriteTag(tag);
                        output.WriteFixed32(input.ReadFixed32());
                        break;
                    case WireFormat.WireType.Fixed64:
                        output.WriteTag(tag);
                        output.WriteFixed64(input.ReadFixed64());
                        break;
                    case WireFormat.WireType.LengthDelimited:
                        byte[] payload = input.ReadBytes().ToByteArray();
                        if (!rewrite(field, payload, output))
                        {
                            WriteBytesField(output, field, payload);
                        }

                        break;
                    default:
                        throw new InvalidDataException($"ONNX model field {field} uses unsupported protobuf wire type {WireFormat.GetTagWireType(tag)}.");
                }
            }
        });

    private static void WriteBytesField(CodedOutputStream output, int field, byte[] payload)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(payload));
    }

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return buffer.ToArray();
    }
}
