/// A 128-bit keyed digest of an archive entry name, for remembering which items an archive holds in 16 bytes
/// instead of the name itself (a 100k-item backup keeps 100k of them for its whole run).
///
/// Two SipHash values under the process's random `Hasher` seed, over the name with different prefixes: the chance
/// that two of a million names collide is about 10⁻²⁷, and without the seed nobody can pick names that collide.
struct ItemKeyDigest: Hashable {
    let high: Int
    let low: Int

    init(_ name: String) {
        var first = Hasher()
        first.combine(0x6c62_6869 as UInt32)
        first.combine(name)
        var second = Hasher()
        second.combine(0x6c62_6c6f as UInt32)
        second.combine(name)
        high = first.finalize()
        low = second.finalize()
    }
}
