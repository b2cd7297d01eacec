import LifeboatCore
import Testing

@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("*", "anything", true), ("team-*", "team-a", true), ("team-*", "team-", true), ("team-*", "teams", false),
        ("ns-?", "ns-1", true), ("ns-?", "ns-12", false), ("[abc]-x", "b-x", true), ("[abc]-x", "d-x", false),
        ("[a-c]*", "cat", true), ("[!a-c]*", "cat", false), ("[^a-c]*", "dog", true), ("*-prod-*", "eu-prod-1", true),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("kube-system", "kube-system", true), ("\\*", "*", true),
        ("\\*", "a", false), ("**", "", true), ("*", "", true), ("?", "", false),
    ])
    func matchesLikeGobwas(pattern: String, value: String, expected: Bool) throws {
        #expect(try GlobPattern(pattern).matches(value) == expected)
    }

    @Test(arguments: ["", "[abc", "a]", "{a,b}", "a b", "a,b", "[]", "[z-a]", "abc\\"])
    func rejectsMalformedPatterns(_ pattern: String) {
        #expect(throws: LifeboatError.self) { try GlobPattern(pattern, field: "spec.includedNamespaces[0]") }
    }

    @Test func literalDetection() throws {
        #expect(try GlobPattern("default").isLiteral)
        #expect(try !GlobPattern("def*").isLiteral)
    }

    @Test func excludesWinAndEmptyIncludesEverything() throws {
        let filter = IncludesExcludes(includes: [try GlobPattern("app-*")], excludes: [try GlobPattern("app-test")])
        #expect(filter.shouldInclude("app-prod"))
        #expect(!filter.shouldInclude("app-test"))
        #expect(!filter.shouldInclude("other"))
        let everything = IncludesExcludes(includes: [], excludes: [try GlobPattern("kube-*")])
        #expect(everything.shouldInclude("default"))
        #expect(!everything.shouldInclude("kube-system"))
        #expect(IncludesExcludes(includes: [try GlobPattern("*")], excludes: []).shouldInclude("x"))
    }
}
