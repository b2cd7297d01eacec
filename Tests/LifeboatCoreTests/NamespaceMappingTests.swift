import LifeboatCore
import Testing

@Suite struct NamespaceMappingTests {
    @Test func parsesAndPrintsCanonically() throws {
        let mapping = try NamespaceMapping(parsing: "prod:staging, a:b")
        #expect(mapping.mappings == ["prod": "staging", "a": "b"])
        #expect(mapping.canonicalString == "a:b,prod:staging")
        #expect(mapping.target(for: "prod") == "staging")
        #expect(mapping.target(for: "other") == "other")
    }

    @Test(arguments: ["a", "a:b:c", "a:b,a:c", "A:b", "a:", "a:b,c:b"])
    func rejectsBadMappings(_ text: String) {
        #expect(throws: LifeboatError.self) { try NamespaceMapping(parsing: text) }
    }
}
