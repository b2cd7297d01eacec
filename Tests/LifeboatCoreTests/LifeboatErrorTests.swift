import LifeboatCore
import Testing

@Suite struct LifeboatErrorTests {
    @Test func errorsCompareByValue() {
        #expect(LifeboatError.notFound(kind: "backup", name: "a") != .notFound(kind: "backup", name: "b"))
    }
}
