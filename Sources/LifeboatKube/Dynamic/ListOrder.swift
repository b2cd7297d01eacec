/// Where a list stream has got to, for resuming it after 410 Expired without keeping a record per item.
///
/// kube-apiserver returns a list in etcd key order (`<namespace>/<name>` compared as bytes); simpler servers
/// (ours among them) sort by namespace, then name. The two differ only when one namespace is a prefix of another
/// followed by `-` or `.` (`a` and `a-b`). The tracker checks every key the server lists against both orders,
/// pass by pass, and judges an item of a restarted list by whichever order the server has kept to: items up to the
/// last one delivered were delivered before, the rest are new. Where both orders still fit and disagree (the last
/// delivered item's namespace vanished between passes) it lets the item through: a repeat beats a loss.
struct ListOrder {
    /// An item's position in a list: its namespace (empty when cluster-scoped) and name.
    struct Key {
        var namespace: String
        var name: String

        init(namespace: String, name: String) {
            self.namespace = namespace
            self.name = name
        }

        init(of item: KubeObject) {
            let key = JSONCursor.namespaceAndName(in: item.json)
            self.init(namespace: key.namespace ?? "", name: key.name ?? "")
        }
    }

    private(set) var lastDelivered: Key?
    private var previousInPass: Key?
    private var resumed = false
    /// Whether every pass so far listed its keys in etcd key order.
    private(set) var inKeyOrder = true
    /// Whether every pass so far listed its keys sorted by namespace, then name.
    private(set) var inNamespaceNameOrder = true

    /// Whether a restarted list can tell delivered items from new ones.
    var canResume: Bool { inKeyOrder || inNamespaceNameOrder }

    /// The list starts again from its first item (after 410 Expired).
    mutating func restart() {
        previousInPass = nil
        resumed = true
    }

    /// Takes the next key the server listed; true when its item goes to the consumer (it was not delivered before).
    mutating func admit(_ key: Key) -> Bool {
        if let previous = previousInPass {
            inKeyOrder = inKeyOrder && Self.keyOrderPrecedes(previous, key)
            inNamespaceNameOrder = inNamespaceNameOrder && Self.namespaceNameOrderPrecedes(previous, key)
        }
        previousInPass = key
        if resumed, let last = lastDelivered {
            let byKey = Self.keyOrderPrecedes(last, key)
            let byNamespace = Self.namespaceNameOrderPrecedes(last, key)
            let isNew = switch (inKeyOrder, inNamespaceNameOrder) {
            case (true, true): byKey || byNamespace
            case (true, false): byKey
            case (false, true): byNamespace
            case (false, false): true
            }
            guard isNew else { return false }
        }
        lastDelivered = key
        return true
    }

    /// `a` before `b` comparing `namespace + "/" + name` as bytes, without building the strings.
    static func keyOrderPrecedes(_ a: Key, _ b: Key) -> Bool {
        if a.namespace == b.namespace { return a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
        let slash = UInt8(ascii: "/")
        var left = a.namespace.utf8.makeIterator()
        var right = b.namespace.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case let (x?, y?) where x != y: return x < y
            case (_?, _?): continue
            // One namespace is a prefix of the other: the shorter one's key goes on with "/" (namespaces hold none).
            case (nil, let y?): return slash < y
            case (let x?, nil): return x < slash
            case (nil, nil): return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
            }
        }
    }

    /// `a` before `b` by namespace, then name, each compared as bytes.
    static func namespaceNameOrderPrecedes(_ a: Key, _ b: Key) -> Bool {
        if a.namespace != b.namespace { return a.namespace.utf8.lexicographicallyPrecedes(b.namespace.utf8) }
        return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
    }
}
