using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace HybridSearch.Tests.Layering;

/// <summary>Reads, from an assembly's metadata, which of its own types each of its types refers to: base type,
/// interfaces, fields, method signatures, locals, custom attributes and every token in the method bodies' IL.
/// Nested and compiler-generated types count as part of the type that declares them.</summary>
internal static class AssemblyDependencyReader
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value, code => code.OperandType);

    /// <summary>Edges "namespace of a type → namespace of a type it refers to", with the two type names as evidence.</summary>
    public static IReadOnlyList<(string FromNamespace, string FromType, string ToNamespace, string ToType)> ReadNamespaceReferences(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var edges = new HashSet<(string, string, string, string)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var (fromNamespace, fromName) = OuterName(reader, handle);
            var referenced = new HashSet<TypeDefinitionHandle>();
            CollectReferences(reader, pe, handle, referenced);
            foreach (var target in referenced)
            {
                var (toNamespace, toName) = OuterName(reader, target);
                if (toNamespace != fromNamespace)
                {
                    edges.Add((fromNamespace, fromName, toNamespace, toName));
                }
            }
        }

        return [.. edges];
    }

    private static (string Namespace, string Name) OuterName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        while (type.IsNested)
        {
            type = reader.GetTypeDefinition(type.GetDeclaringType());
        }

        return (reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    private static void CollectReferences(MetadataReader reader, PEReader pe, TypeDefinitionHandle handle, HashSet<TypeDefinitionHandle> found)
    {
        var collector = new ReferenceCollector(reader, found);
        var type = reader.GetTypeDefinition(handle);
        collector.AddEntity(type.BaseType);
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            collector.AddEntity(reader.GetInterfaceImplementation(implementation).Interface);
        }

        collector.AddAttributes(type.GetCustomAttributes());
        foreach (var fieldHandle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(fieldHandle);
            field.DecodeSignature(collector, null);
            collector.AddAttributes(field.GetCustomAttributes());
        }

        foreach (var propertyHandle in type.GetProperties())
        {
            collector.AddAttributes(reader.GetPropertyDefinition(propertyHandle).GetCustomAttributes());
        }

        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            method.DecodeSignature(collector, null);
            collector.AddAttributes(method.GetCustomAttributes());
            foreach (var parameter in method.GetParameters())
            {
                collector.AddAttributes(reader.GetParameter(parameter).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress != 0)
            {
                ReadBody(reader, pe.GetMethodBody(method.RelativeVirtualAddress), collector);
            }
        }
    }

    private static void ReadBody(MetadataReader reader, MethodBodyBlock body, ReferenceCollector collector)
    {
        if (!body.LocalSignature.IsNil)
        {
            reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(collector, null);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il.ReadByte()));
            }

            switch (OperandTypes[value])
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    collector.AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.InlineI:
                case OperandType.InlineBrTarget:
                case OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                case OperandType.InlineSwitch:
                    // The count first, then the targets: read the count before moving (a compound assignment would
                    // take the offset before the read and land on the first target).
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
            }
        }
    }

    /// <summary>Records every type definition of the assembly met in a signature or a token.</summary>
    private sealed class ReferenceCollector(MetadataReader reader, HashSet<TypeDefinitionHandle> found)
        : ISignatureTypeProvider<bool, object?>
    {
        public void AddEntity(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    found.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    found.Add(method.GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    found.Add(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    AddEntity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddEntity(specification.Method);
                    specification.DecodeSignature(this, null);
                    break;
            }
        }

        public void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var attribute in attributes)
            {
                AddEntity(reader.GetCustomAttribute(attribute).Constructor);
            }
        }

        public bool GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => found.Add(handle);

        public bool GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
        {
            AddEntity(handle);
            return true;
        }

        public bool GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => false;

        public bool GetArrayType(bool elementType, ArrayShape shape) => elementType;

        public bool GetByReferenceType(bool elementType) => elementType;

        public bool GetFunctionPointerType(MethodSignature<bool> signature) => false;

        public bool GetGenericInstantiation(bool genericType, ImmutableArray<bool> typeArguments) => genericType;

        public bool GetGenericMethodParameter(object? genericContext, int index) => false;

        public bool GetGenericTypeParameter(object? genericContext, int index) => false;

        public bool GetModifiedType(bool modifier, bool unmodifiedType, bool isRequired) => unmodifiedType;

        public bool GetPinnedType(bool elementType) => elementType;

        public bool GetPointerType(bool elementType) => elementType;

        public bool GetPrimitiveType(PrimitiveTypeCode typeCode) => false;

        public bool GetSZArrayType(bool elementType) => elementType;
    }
}
