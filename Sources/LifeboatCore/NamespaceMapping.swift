import Foundation

/// A restore's namespace mapping (`spec.namespaceMapping`), written on the command line as Velero's
/// `--namespace-mappings src1:dst1,src2:dst2`.
public struct NamespaceMapping: Sendable, Hashable {
    /// Source namespace → target namespace.
    public let mappings: [String: String]

    /// Wraps and checks a mapping; errors name `field[source]`.
    public init(_ mappings: [String: String], field: String = "spec.namespaceMapping") throws(LifeboatError) {
        var seenTargets: [String: String] = [:]
        for (source, target) in mappings.sorted(by: { $0.key < $1.key }) {
            try DNSLabel.validate(source, field: "\(field)[\(source)]")
            try DNSLabel.validate(target, field: "\(field)[\(source)]")
            if let other = seenTargets[target] {
                throw .invalidArgument(field: "\(field)[\(source)]", reason: "namespaces '\(other)' and '\(source)' both map to '\(target)'")
            }
            seenTargets[target] = source
        }
        self.mappings = mappings
    }

    /// Parses `a:b,c:d`.
    public init(parsing text: String, field: String = "spec.namespaceMapping") throws(LifeboatError) {
        var mappings: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let sides = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard sides.count == 2 else {
                throw .invalidArgument(field: field, reason: "'\(pair.prefix(130))' is not of the form source:target")
            }
            let source = sides[0].trimmingCharacters(in: .whitespaces), target = sides[1].trimmingCharacters(in: .whitespaces)
            if mappings[source] != nil {
                throw .invalidArgument(field: field, reason: "namespace '\(source.prefix(63))' is mapped twice")
            }
            mappings[source] = target
        }
        try self.init(mappings, field: field)
    }

    /// The `a:b,c:d` form, sorted by source.
    public var canonicalString: String {
        mappings.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }

    /// Where items of `namespace` are restored to.
    public func target(for namespace: String) -> String { mappings[namespace] ?? namespace }
}
