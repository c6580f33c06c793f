using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>
/// Builds one ONNX graph: nodes with unique value names, float and int64 constants as initializers, named graph
/// inputs and outputs. The per-module emitters add to it; <see cref="ToModel"/> wraps it in a ModelProto. Opset 17
/// (LayerNormalization's first opset), IR version 8: what onnx 1.12's checker (Debian 12) and every ONNX Runtime
/// since 1.13 accept.
/// </summary>
public sealed class OnnxGraph
{
    public const int Opset = 17;
    public const long IrVersion = 8;

    private readonly GraphProto graph = new();
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> shapes = new(StringComparer.Ordinal);
    private int counter;

    public OnnxGraph(string name) => graph.Name = name;

    /// <summary>Adds node <paramref name="op"/> and returns the name of its single output.</summary>
    public string Op(string op, string path, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Ops(op, path, inputs, 1, attributes)[0];

    /// <summary>Adds node <paramref name="op"/> with <paramref name="outputs"/> outputs and returns their names.</summary>
    public string[] Ops(string op, string path, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        string node = Unique($"{path}/{op}");
        var proto = new NodeProto { OpType = op, Name = node };
        proto.Input.AddRange(inputs);
        var results = Enumerable.Range(0, outputs).Select(i => Unique(outputs == 1 ? node : $"{node}:{i}")).ToArray();
        proto.Output.AddRange(results);
        proto.Attribute.AddRange(attributes);
        graph.Node.Add(proto);
        return results;
    }

    /// <summary>A float32 constant from a tensor (copied to the CPU), named after the parameter it holds.</summary>
    public string Constant(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        var cpu = value.detach().to(ScalarType.Float32, CPU).contiguous();
        return Constant(name, cpu.data<float>().ToArray(), cpu.shape);
    }

    public string Constant(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length); // ONNX raw data is little-endian, as .NET on every platform it runs on here
        t.RawData = ByteString.CopyFrom(bytes);
        graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>An int64 constant (shapes, axes, pads).</summary>
    public string Int64s(string name, params long[] values)
    {
        var t = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A scalar int64 constant (a Gather index that drops the axis).</summary>
    public string Int64Scalar(string name, long value)
    {
        var t = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Int64Data.Add(value);
        graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A scalar float constant.</summary>
    public string Scalar(string name, float value)
    {
        var t = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        t.FloatData.Add(value);
        graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>A float32 graph input; a dimension of -1 is the symbolic batch size "batch".</summary>
    public string Input(string name, long[] dims)
    {
        names.Add(name);
        graph.Input.Add(ValueInfo(name, dims));
        shapes[name] = dims;
        return name;
    }

    /// <summary>Publishes <paramref name="value"/> as graph output <paramref name="name"/> (through an Identity node, so that
    /// the output keeps its own name whatever produced it).</summary>
    public void Output(string name, string value, long[] dims)
    {
        names.Add(name);
        graph.Node.Add(new NodeProto { OpType = "Identity", Name = Unique($"{name}/Identity"), Input = { value }, Output = { name } });
        graph.Output.Add(ValueInfo(name, dims));
    }

    /// <summary>The static shape of a value when an emitter recorded it (graph inputs always; -1 is the batch).</summary>
    public long[]? ShapeOf(string value) => shapes.TryGetValue(value, out var s) ? s : null;

    public void RecordShape(string value, long[] dims) => shapes[value] = dims;

    public ModelProto ToModel(IEnumerable<KeyValuePair<string, string>> metadata, string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Vicreg.Multimodal",
            ProducerVersion = producerVersion,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private string Unique(string name)
    {
        if (names.Add(name)) return name;
        string candidate;
        do candidate = $"{name}_{++counter}"; while (!names.Add(candidate));
        return candidate;
    }
}
