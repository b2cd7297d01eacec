import Foundation

/// The Kubernetes-shaped metadata every catalog object carries, so `velero-backup.json` maps straight onto a backup.
public struct ObjectMeta<Name: ResourceName>: Sendable, Hashable, Codable {
    public var name: Name
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Assigned by the server on create; stable across renames of nothing (names are immutable).
    public var uid: UUID
    public var creationTimestamp: Date

    public init(
        name: Name, labels: [String: String] = [:], annotations: [String: String] = [:],
        uid: UUID = UUID(), creationTimestamp: Date = Date()
    ) {
        self.name = name
        self.labels = labels
        self.annotations = annotations
        self.uid = uid
        self.creationTimestamp = creationTimestamp
    }

    /// Checks label keys and values and annotation keys with Kubernetes' rules.
    public func validate() throws(LifeboatError) {
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            try LabelSyntax.validateKey(key, field: "metadata.labels")
            try LabelSyntax.validateValue(value, field: "metadata.labels[\(key)]")
        }
        var annotationBytes = 0
        for key in annotations.keys.sorted() {
            try LabelSyntax.validateKey(key, field: "metadata.annotations")
            annotationBytes += key.utf8.count + annotations[key]!.utf8.count
        }
        if annotationBytes > 256 * 1024 {
            throw .invalidArgument(field: "metadata.annotations", reason: "must total no more than 256 KiB")
        }
    }
}

/// What every catalog kind has in common: Kubernetes shape (`metadata`, `spec`, `status`) and a kind name for errors.
public protocol CatalogObject: Sendable, Hashable, Codable {
    associatedtype Name: ResourceName
    associatedtype Spec: Sendable, Hashable, Codable
    associatedtype Status: Sendable, Hashable, Codable

    /// The kind as error messages name it: `backup 'x' does not exist`.
    static var kind: String { get }

    var metadata: ObjectMeta<Name> { get set }
    var spec: Spec { get set }
    var status: Status { get set }

    init(metadata: ObjectMeta<Name>, spec: Spec, status: Status)
}

extension CatalogObject {
    /// The object's name.
    public var name: Name { metadata.name }
}
