@testable import LifeboatKube
import Testing

@Suite struct ListOrderTests {
    typealias Key = ListOrder.Key

    @Test func keyOrderComparesNamespaceSlashNameAsBytes() {
        // "a-b/y" < "a/x" because '-' (0x2d) sorts before '/' (0x2f); by namespace first it is the other way round.
        #expect(ListOrder.keyOrderPrecedes(Key(namespace: "a-b", name: "y"), Key(namespace: "a", name: "x")))
        #expect(!ListOrder.keyOrderPrecedes(Key(namespace: "a", name: "x"), Key(namespace: "a-b", name: "y")))
        #expect(ListOrder.namespaceNameOrderPrecedes(Key(namespace: "a", name: "x"), Key(namespace: "a-b", name: "y")))
        // "a/z" < "a0/a": '/' before '0'.
        #expect(ListOrder.keyOrderPrecedes(Key(namespace: "a", name: "z"), Key(namespace: "a0", name: "a")))
        #expect(ListOrder.keyOrderPrecedes(Key(namespace: "", name: "a"), Key(namespace: "", name: "b")))
        #expect(!ListOrder.keyOrderPrecedes(Key(namespace: "ns", name: "b"), Key(namespace: "ns", name: "b")))
    }

    /// Lists `first` until `cut` items went out, restarts, lists `second`: what reaches the consumer.
    static func resume(_ first: [Key], cut: Int, _ second: [Key]) -> [String] {
        var order = ListOrder()
        var delivered = first.prefix(cut).filter { order.admit($0) }
        order.restart()
        delivered += second.filter { order.admit($0) }
        return delivered.map { "\($0.namespace)/\($0.name)" }
    }

    static let etcdOrder = [Key(namespace: "a-b", name: "1"), Key(namespace: "a-b", name: "2"), Key(namespace: "a", name: "1"),
                            Key(namespace: "a", name: "2")]
    static let namespaceOrder = [Key(namespace: "a", name: "1"), Key(namespace: "a", name: "2"), Key(namespace: "a-b", name: "1"),
                                 Key(namespace: "a-b", name: "2")]

    @Test func resumesUnderWhicheverOrderTheServerKeeps() {
        // Restarts before the namespaces change, when both orders still fit what was delivered.
        for cut in 1...3 {
            #expect(Self.resume(Self.etcdOrder, cut: cut, Self.etcdOrder) == ["a-b/1", "a-b/2", "a/1", "a/2"])
            #expect(Self.resume(Self.namespaceOrder, cut: cut, Self.namespaceOrder) == ["a/1", "a/2", "a-b/1", "a-b/2"])
        }
        // Something created meanwhile before the last delivered key is not in this snapshot; one after it is.
        let grown = [Key(namespace: "a", name: "0")] + Self.namespaceOrder + [Key(namespace: "b", name: "1")]
        #expect(Self.resume(Self.namespaceOrder, cut: 2, grown) == ["a/1", "a/2", "a-b/1", "a-b/2", "b/1"])
    }

    @Test func aServerOutOfKeyOrderCannotResume() {
        var order = ListOrder()
        for key in [Key(namespace: "", name: "b"), Key(namespace: "", name: "a")] { _ = order.admit(key) }
        #expect(!order.canResume)
    }
}
