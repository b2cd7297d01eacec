import Foundation

/// Where an object lives inside one resource: sorted the way etcd keys sort (namespace, then name).
struct ObjectKey: Hashable, Comparable, Sendable {
    var namespace: String
    var name: String

    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        if lhs.namespace != rhs.namespace { return lhs.namespace.utf8.lexicographicallyPrecedes(rhs.namespace.utf8) }
        return lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }
}

/// One stored object, kept as its encoded JSON (without `apiVersion`/`kind`) plus the few fields that
/// lists, selectors and garbage collection need. Lists splice these bytes instead of re-encoding trees,
/// which is what makes 100k-object lists cheap.
struct StoredObject: Sendable {
    var body: [UInt8]
    /// Labels packed into one string (`k\u{1}v\u{0}k\u{1}v`): a dictionary per object would cost more
    /// memory than many objects' JSON.
    private var packedLabels: String
    var resourceVersion: UInt64
    /// The server sets every uid, always a UUID; 16 inline bytes instead of a heap string.
    private var uidValue: UUID
    var ownerUIDs: [String]
    var hasFinalizers: Bool
    var isDeleting: Bool

    var uid: String { uidValue.uuidString.lowercased() }

    init(body: [UInt8], labels: [String: String], resourceVersion: UInt64, uid: String, ownerUIDs: [String],
         hasFinalizers: Bool, isDeleting: Bool) {
        self.body = body
        self.packedLabels = labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{1}\($0.value)" }.joined(separator: "\u{0}")
        self.resourceVersion = resourceVersion
        self.uidValue = UUID(uuidString: uid) ?? UUID()
        self.ownerUIDs = ownerUIDs
        self.hasFinalizers = hasFinalizers
        self.isDeleting = isDeleting
    }

    var labels: [String: String] {
        guard !packedLabels.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in packedLabels.split(separator: "\u{0}", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "\u{1}", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }

    func decoded() -> JSONValue { (try? JSONParser.parse(body)) ?? .object([:]) }
}

/// The objects of one resource, with a lazily rebuilt sorted key index for paged lists.
struct ResourceTable: Sendable {
    var objects: [ObjectKey: StoredObject] = [:]
    private var sortedCache: [ObjectKey]? = []

    subscript(key: ObjectKey) -> StoredObject? {
        get { objects[key] }
        set {
            if (objects[key] == nil) != (newValue == nil) { sortedCache = nil }
            objects[key] = newValue
        }
    }

    var count: Int { objects.count }

    mutating func sortedKeys() -> [ObjectKey] {
        if let sortedCache { return sortedCache }
        let sorted = objects.keys.sorted()
        sortedCache = sorted
        return sorted
    }
}

/// A reference to an object in any resource.
struct ObjectReference: Hashable, Sendable {
    var resource: ResourceKey
    var key: ObjectKey
}

/// The `metadata.creationTimestamp` format: RFC 3339, seconds, UTC.
enum Timestamp {
    static func now() -> String { format(Date()) }

    static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let s = String(value)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }
}
