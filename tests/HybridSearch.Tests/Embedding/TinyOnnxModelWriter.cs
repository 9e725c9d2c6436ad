using Google.Protobuf;

namespace HybridSearch.Tests.Embedding;

/// <summary>
/// Writes tiny ONNX models (protobuf, field numbers from onnx.proto) with the input and output names of a Hugging Face
/// CLIP export, so the real loading, batching and output path can run without CLIP weights:
/// vision: pixel_values [N,3,S,S] → ReduceMean over H, W → [N,3] → MatMul W_image [3,D] → image_embeds [N,D];
/// text: input_ids, attention_mask [N,C] int64 → Cast → Mul → MatMul W_text [C,D] → text_embeds [N,D].
/// </summary>
internal static class TinyOnnxModelWriter
{
    private const int FloatType = 1;
    private const int Int64Type = 7;

    public static byte[] Vision(float[,] imageWeights, int imageSize, string pixelInput = "pixel_values") =>
        Model(graph =>
        {
            VisionNodes(graph, imageWeights, pixelInput);
            graph.Input(pixelInput, FloatType, -1, 3, imageSize, imageSize);
            graph.Output("image_embeds", FloatType, -1, imageWeights.GetLength(1));
        });

    public static byte[] Text(float[,] textWeights, bool withMask = true, string idsInput = "input_ids") =>
        Model(graph =>
        {
            TextNodes(graph, textWeights, withMask, idsInput);
            graph.Input(idsInput, Int64Type, -1, textWeights.GetLength(0));
            if (withMask)
            {
                graph.Input("attention_mask", Int64Type, -1, textWeights.GetLength(0));
            }

            graph.Output("text_embeds", FloatType, -1, textWeights.GetLength(1));
        });

    public static byte[] Combined(float[,] imageWeights, float[,] textWeights, int imageSize) =>
        Model(graph =>
        {
            VisionNodes(graph, imageWeights, "pixel_values");
            TextNodes(graph, textWeights, withMask: true, "input_ids");
            graph.Input("input_ids", Int64Type, -1, textWeights.GetLength(0));
            graph.Input("pixel_values", FloatType, -1, 3, imageSize, imageSize);
            graph.Input("attention_mask", Int64Type, -1, textWeights.GetLength(0));
            graph.Output("text_embeds", FloatType, -1, textWeights.GetLength(1));
            graph.Output("image_embeds", FloatType, -1, imageWeights.GetLength(1));
        });

    private static void VisionNodes(GraphBuilder graph, float[,] weights, string pixelInput)
    {
        graph.Initializer("w_image", weights);
        graph.Node("ReduceMean", [pixelInput], ["pooled"], output => IntsAttribute(output, "axes", [2, 3]), output => IntAttribute(output, "keepdims", 0));
        graph.Node("MatMul", ["pooled", "w_image"], ["image_embeds"]);
    }

    private static void TextNodes(GraphBuilder graph, float[,] weights, bool withMask, string idsInput)
    {
        graph.Initializer("w_text", weights);
        graph.Node("Cast", [idsInput], ["ids_float"], output => IntAttribute(output, "to", FloatType));
        if (withMask)
        {
            graph.Node("Cast", ["attention_mask"], ["mask_float"], output => IntAttribute(output, "to", FloatType));
            graph.Node("Mul", ["ids_float", "mask_float"], ["masked_ids"]);
            graph.Node("MatMul", ["masked_ids", "w_text"], ["text_embeds"]);
        }
        else
        {
            graph.Node("MatMul", ["ids_float", "w_text"], ["text_embeds"]);
        }
    }

    private static byte[] Model(Action<GraphBuilder> build)
    {
        var graph = new GraphBuilder();
        build(graph);
        return Message(output =>
        {
            output.WriteTag(1, WireFormat.WireType.Varint); // ir_version
            output.WriteInt64(7);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited); // producer_name
            output.WriteString("HybridSearch.Tests");
            output.WriteTag(7, WireFormat.WireType.LengthDelimited); // graph
            output.WriteBytes(ByteString.CopyFrom(graph.Build()));
            output.WriteTag(8, WireFormat.WireType.LengthDelimited); // opset_import
            output.WriteBytes(ByteString.CopyFrom(Message(opset =>
            {
                opset.WriteTag(1, WireFormat.WireType.LengthDelimited);
                opset.WriteString(string.Empty);
                opset.WriteTag(2, WireFormat.WireType.Varint);
                opset.WriteInt64(13);
            })));
        });
    }

    private static void IntAttribute(CodedOutputStream output, string name, long value) =>
        output.WriteBytes(ByteString.CopyFrom(Message(attribute =>
        {
            attribute.WriteTag(1, WireFormat.WireType.LengthDelimited);
            attribute.WriteString(name);
            attribute.WriteTag(3, WireFormat.WireType.Varint); // i
            attribute.WriteInt64(value);
            attribute.WriteTag(20, WireFormat.WireType.Varint); // type = INT
            attribute.WriteInt32(2);
        })));

    private static void IntsAttribute(CodedOutputStream output, string name, long[] values) =>
        output.WriteBytes(ByteString.CopyFrom(Message(attribute =>
        {
            attribute.WriteTag(1, WireFormat.WireType.LengthDelimited);
            attribute.WriteString(name);
            foreach (long value in values)
            {
                attribute.WriteTag(8, WireFormat.WireType.Varint); // ints
                attribute.WriteInt64(value);
            }

            attribute.WriteTag(20, WireFormat.WireType.Varint); // type = INTS
            attribute.WriteInt32(7);
        })));

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return buffer.ToArray();
    }

    private sealed class GraphBuilder
    {
        private readonly List<(int Field, byte[] Payload)> _fields = [];

        public void Node(string opType, string[] inputs, string[] outputs, params Action<CodedOutputStream>[] attributes) =>
            _fields.Add((1, Message(node =>
            {
                foreach (string input in inputs)
                {
                    node.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    node.WriteString(input);
                }

                foreach (string output in outputs)
                {
                    node.WriteTag(2, WireFormat.WireType.LengthDelimited);
                    node.WriteString(output);
                }

                node.WriteTag(4, WireFormat.WireType.LengthDelimited);
                node.WriteString(opType);
                foreach (var attribute in attributes)
                {
                    node.WriteTag(5, WireFormat.WireType.LengthDelimited);
                    attribute(node);
                }
            })));

        public void Initializer(string name, float[,] values) =>
            _fields.Add((5, Message(tensor =>
            {
                tensor.WriteTag(1, WireFormat.WireType.Varint);
                tensor.WriteInt64(values.GetLength(0));
                tensor.WriteTag(1, WireFormat.WireType.Varint);
                tensor.WriteInt64(values.GetLength(1));
                tensor.WriteTag(2, WireFormat.WireType.Varint);
                tensor.WriteInt32(FloatType);
                tensor.WriteTag(8, WireFormat.WireType.LengthDelimited);
                tensor.WriteString(name);
                var raw = new byte[values.Length * sizeof(float)];
                Buffer.BlockCopy(values, 0, raw, 0, raw.Length); // row-major, little-endian like raw_data requires
                tensor.WriteTag(9, WireFormat.WireType.LengthDelimited);
                tensor.WriteBytes(ByteString.CopyFrom(raw));
            })));

        public void Input(string name, int elementType, params long[] dimensions) => _fields.Add((11, ValueInfo(name, elementType, dimensions)));

        public void Output(string name, int elementType, params long[] dimensions) => _fields.Add((12, ValueInfo(name, elementType, dimensions)));

        public byte[] Build() => Message(graph =>
        {
            graph.WriteTag(2, WireFormat.WireType.LengthDelimited);
            graph.WriteString("tiny_clip");
            foreach (var (field, payload) in _fields.OrderBy(entry => entry.Field))
            {
                graph.WriteTag(field, WireFormat.WireType.LengthDelimited);
                graph.WriteBytes(ByteString.CopyFrom(payload));
            }
        });

        // A dimension < 0 is written as the symbolic "N".
        private static byte[] ValueInfo(string name, int elementType, long[] dimensions) => Message(valueInfo =>
        {
            valueInfo.WriteTag(1, WireFormat.WireType.LengthDelimited);
            valueInfo.WriteString(name);
            byte[] shape = Message(shapeOutput =>
            {
                foreach (long dimension in dimensions)
                {
                    shapeOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    shapeOutput.WriteBytes(ByteString.CopyFrom(Message(dim =>
                    {
                        if (dimension < 0)
                        {
                            dim.WriteTag(2, WireFormat.WireType.LengthDelimited);
                            dim.WriteString("N");
                        }
                        else
                        {
                            dim.WriteTag(1, WireFormat.WireType.Varint);
                            dim.WriteInt64(dimension);
                        }
                    })));
                }
            });
            byte[] tensorType = Message(tensor =>
            {
                tensor.WriteTag(1, WireFormat.WireType.Varint);
                tensor.WriteInt32(elementType);
                tensor.WriteTag(2, WireFormat.WireType.LengthDelimited);
                tensor.WriteBytes(ByteString.CopyFrom(shape));
            });
            valueInfo.WriteTag(2, WireFormat.WireType.LengthDelimited);
            valueInfo.WriteBytes(ByteString.CopyFrom(Message(type =>
            {
                type.WriteTag(1, WireFormat.WireType.LengthDelimited);
                type.WriteBytes(ByteString.CopyFrom(tensorType));
            })));
        });
    }
}
