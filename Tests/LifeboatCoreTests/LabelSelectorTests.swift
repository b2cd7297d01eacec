import Foundation
import LifeboatCore
import Testing

@Suite struct LabelSelectorTests {
    @Test func parsesEqualityAndSetSyntax() throws {
        let selector = try LabelSelector(parsing: "app=web, tier!=db,env in (prod, staging),release,!canary,x==y,zone notin (a)")
        #expect(selector.matchLabels == ["app": "web", "x": "y"])
        #expect(selector.matchExpressions?.count == 5)
        #expect(selector.canonicalString == "app=web,!canary,env in (prod,staging),release,tier notin (db),x=y,zone notin (a)")
    }

    @Test(arguments: [
        ("app=web", ["app": "web"], true), ("app=web", ["app": "db"], false), ("app=web", [:], false),
        ("app!=web", [:], true), ("app!=web", ["app": "web"], false), ("env in (a,b)", ["env": "b"], true),
        ("env in (a,b)", [:], false), ("env notin (a,b)", [:], true), ("env notin (a,b)", ["env": "a"], false),
        ("env", ["env": ""], true), ("!env", ["env": "x"], false), ("!env", [:], true), ("", ["any": "thing"], true),
        ("a=1,b=2", ["a": "1", "b": "2", "c": "3"], true), ("a=1,b=2", ["a": "1"], false),
    ] as [(String, [String: String], Bool)])
    func matchesLabels(selector: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(labels) == expected)
    }

    @Test(arguments: ["=web", "app in web", "app in (a", "app=web,", "a/b/c=d", "-app=x", "app=web!", "Bad_Prefix.example/x=y"])
    func rejectsMalformedSelectors(_ text: String) {
        #expect(throws: LifeboatError.self) { try LabelSelector(parsing: text, field: "spec.labelSelector") }
    }

    @Test func emptyValueIsAllowedForEquality() throws {
        // Kubernetes allows empty label values, so `app=` selects objects whose `app` label is "".
        let selector = try LabelSelector(parsing: "app=")
        #expect(selector.matchLabels == ["app": ""])
        #expect(selector.matches(["app": ""]))
        #expect(!selector.matches(["app": "web"]))
    }

    @Test func keywordPrefixIsAKey() throws {
        let selector = try LabelSelector(parsing: "inventory=1,notinlist")
        #expect(selector.matchLabels == ["inventory": "1"])
        #expect(selector.matchExpressions == [.init(key: "notinlist", operator: .exists)])
    }

    @Test func structuredValidationNamesTheField() {
        let selector = LabelSelector(matchExpressions: [.init(key: "app", operator: .in, values: [])])
        #expect(throws: LifeboatError.invalidArgument(field: "spec.labelSelector.matchExpressions[0].values",
                                                     reason: "must be non-empty for operator In")) {
            try selector.validate(field: "spec.labelSelector")
        }
    }

    @Test func jsonShapeIsKubernetes() throws {
        let selector = try LabelSelector(parsing: "app=web,env in (a)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(selector), as: UTF8.self)
        #expect(json == #"{"matchExpressions":[{"key":"env","operator":"In","values":["a"]}],"matchLabels":{"app":"web"}}"#)
        #expect(try JSONDecoder().decode(LabelSelector.self, from: Data(json.utf8)) == selector)
    }
}
