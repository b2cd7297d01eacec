/// Which version of a catalog object a row holds, so a rendering of it can be reused until the object changes.
///
/// Every write of an object bumps `revision`; deleting an object and creating another of the same name starts
/// again at 1 but under a new `uid`, so the pair never names two different contents.
public struct ObjectRevision: Sendable, Hashable {
    public var name: String
    /// The object's uid as stored (lowercase UUID text).
    public var uid: String
    public var revision: Int64

    public init(name: String, uid: String, revision: Int64) {
        self.name = name
        self.uid = uid
        self.revision = revision
    }
}
