import Foundation

/// List query parameters.
struct ListOptions: Sendable {
    var labels: LabelSelector
    var fields: FieldSelector
    var limit: Int?
    var continueToken: String?
}

/// The opaque `continue` token: the revision the list started at, when, and the last key returned.
struct ContinueToken: Sendable {
    var revision: UInt64
    var issuedAt: TimeInterval
    var lastKey: ObjectKey

    func encoded() -> String {
        let json: JSONValue = .object([
            "rv": .string(String(revision)), "t": .number(String(Int(issuedAt))),
            "ns": .string(lastKey.namespace), "n": .string(lastKey.name),
        ])
        return Data(JSONWriter.encode(json)).base64EncodedString()
    }

    init(revision: UInt64, issuedAt: TimeInterval, lastKey: ObjectKey) {
        self.revision = revision
        self.issuedAt = issuedAt
        self.lastKey = lastKey
    }

    init(decoding text: String) throws(StatusError) {
        guard let data = Data(base64Encoded: text), let json = try? JSONParser.parse(Array(data)),
              let rv = json["rv"]?.stringValue.flatMap({ UInt64($0) }), let t = json["t"]?.intValue,
              let ns = json["ns"]?.stringValue, let n = json["n"]?.stringValue else {
            throw .badRequest("continue key is not valid: illegal base64 data or invalid JSON")
        }
        self.init(revision: rv, issuedAt: TimeInterval(t), lastKey: ObjectKey(namespace: ns, name: n))
    }
}

extension ClusterState {
    /// GET on a collection: sorted by (namespace, name), filtered, paged with `limit`/`continue`.
    /// Items are spliced from stored bytes; every page of one list reports the revision of its first page.
    mutating func list(view: ResourceView, namespace: String?, options: ListOptions) throws(StatusError) -> [UInt8] {
        var listRevision = revision
        var startAfter: ObjectKey?
        if let text = options.continueToken, !text.isEmpty {
            let token = try ContinueToken(decoding: text)
            if token.revision < compactedRevision || Date().timeIntervalSince1970 - token.issuedAt > continueTokenLifetime {
                throw .expired
            }
            listRevision = token.revision
            startAfter = token.lastKey
        }
        guard let keys = tables[view.key]?.sortedKeys() else {
            return listBody(view: view, items: [], resourceVersion: listRevision, continueToken: nil, remaining: nil)
        }
        let objects = tables[view.key]?.objects ?? [:]
        var index: Int
        if let startAfter {
            index = Self.upperBound(keys, startAfter)
        } else if let namespace {
            index = Self.lowerBound(keys, ObjectKey(namespace: namespace, name: ""))
        } else {
            index = 0
        }
        let limit = (options.limit ?? 0) > 0 ? options.limit! : Int.max
        var items: [[UInt8]] = []
        var lastKey: ObjectKey?
        let filtered = !options.labels.isEmpty || !options.fields.isEmpty
        while index < keys.count {
            let key = keys[index]
            if let namespace, key.namespace != namespace { break }
            index += 1
            guard let stored = objects[key] else { continue }
            if filtered {
                guard options.labels.matches(stored.labels),
                      options.fields.matches(namespace: key.namespace, name: key.name, body: { stored.decoded() }) else { continue }
            }
            items.append(view.type.isCustom ? view.render(stored) : stored.body)
            lastKey = key
            if items.count == limit { break }
        }
        var more = false
        var remaining: Int?
        if items.count == limit, index < keys.count {
            if let namespace {
                let end = Self.lowerBound(keys, ObjectKey(namespace: namespace + "\u{0}", name: ""))
                more = index < end
                if !filtered { remaining = end - index }
            } else {
                more = true
                if !filtered { remaining = keys.count - index }
            }
            if filtered && more {
                // Only promise more items when one actually matches.
                more = false
                var probe = index
                while probe < keys.count {
                    let key = keys[probe]
                    if let namespace, key.namespace != namespace { break }
                    if let stored = objects[key], options.labels.matches(stored.labels),
                       options.fields.matches(namespace: key.namespace, name: key.name, body: { stored.decoded() }) {
                        more = true
                        break
                    }
                    probe += 1
                }
            }
        }
        let token = more ? lastKey.map {
            ContinueToken(revision: listRevision, issuedAt: Date().timeIntervalSince1970, lastKey: $0).encoded()
        } : nil
        return listBody(view: view, items: items, resourceVersion: listRevision, continueToken: token, remaining: more ? remaining : nil)
    }

    func listBody(view: ResourceView, items: [[UInt8]], resourceVersion: UInt64, continueToken: String?, remaining: Int?) -> [UInt8] {
        var size = 160
        for item in items { size += item.count + 1 }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(contentsOf: Array("{\"apiVersion\":".utf8))
        JSONWriter.writeString(view.apiVersion, into: &out)
        out.append(contentsOf: Array(",\"items\":[".utf8))
        var first = true
        for item in items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: item)
        }
        out.append(contentsOf: Array("],\"kind\":".utf8))
        JSONWriter.writeString(view.type.listKind, into: &out)
        out.append(contentsOf: Array(",\"metadata\":{".utf8))
        if let continueToken {
            out.append(contentsOf: Array("\"continue\":".utf8))
            JSONWriter.writeString(continueToken, into: &out)
            out.append(UInt8(ascii: ","))
            if let remaining { out.append(contentsOf: Array("\"remainingItemCount\":\(remaining),".utf8)) }
        }
        out.append(contentsOf: Array("\"resourceVersion\":\"\(resourceVersion)\"}}".utf8))
        return out
    }

    static func lowerBound(_ keys: [ObjectKey], _ target: ObjectKey) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static func upperBound(_ keys: [ObjectKey], _ target: ObjectKey) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if target < keys[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }

    // MARK: Watch

    /// Registers a watcher and returns the events it must see first: synthetic ADDEDs for a watch
    /// without a resourceVersion, else the history after that revision (410 when it is gone).
    mutating func startWatch(view: ResourceView, namespace: String?, labels: LabelSelector, fields: FieldSelector,
                             resourceVersion: String?, continuation: AsyncStream<[UInt8]>.Continuation) throws(StatusError) -> Int {
        let watcher = Watcher(view: view, namespace: namespace, labels: labels, fields: fields, continuation: continuation)
        if let rvText = resourceVersion, !rvText.isEmpty, rvText != "0" {
            guard let rv = UInt64(rvText) else { throw .badRequest("invalid resource version \"\(rvText)\"") }
            let oldest = history.first?.object.resourceVersion ?? revision
            if rv < compactedRevision || (rv + 1 < oldest && rv < revision) {
                continuation.yield(Self.line(type: "ERROR", object: JSONWriter.encode(StatusError(
                    code: 410, reason: "Expired", message: "too old resource version: \(rv) (\(max(compactedRevision, oldest)))").json)))
                continuation.finish()
                return -1
            }
            for event in history where event.object.resourceVersion > rv && event.resource == view.key {
                if let line = Self.watchLine(event, for: watcher) { continuation.yield(line) }
            }
        } else if let keys = tables[view.key]?.sortedKeys() {
            let objects = tables[view.key]?.objects ?? [:]
            for key in keys {
                if let namespace, key.namespace != namespace { continue }
                guard let stored = objects[key], labels.matches(stored.labels),
                      fields.matches(namespace: key.namespace, name: key.name, body: { stored.decoded() }) else { continue }
                continuation.yield(Self.line(type: "ADDED", object: view.render(stored)))
            }
        }
        nextWatcherID += 1
        watchers[nextWatcherID] = watcher
        return nextWatcherID
    }

    /// Unregisters a watcher. The caller finishes the returned continuation outside the lock, because
    /// finishing runs the stream's termination handler, which takes the lock again.
    mutating func stopWatch(_ id: Int) -> AsyncStream<[UInt8]>.Continuation? {
        watchers.removeValue(forKey: id)?.continuation
    }
}
