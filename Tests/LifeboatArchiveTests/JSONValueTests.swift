import Testing

@testable import LifeboatArchive

@Suite struct JSONValueTests {
    private func compact(_ text: String) throws -> String {
        String(decoding: try JSONValue.parse(text).goJSONBytes(), as: UTF8.self)
    }

    @Test func sortsKeysBytewiseAndCompacts() throws {
        let input = """
            {
              "spec": {"replicas": 3, "b": [1, 2, {"z": null, "a": true}]},
              "apiVersion": "apps/v1",
              "Kind": "upper sorts first",
              "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "app": "x"}}
            }
            """
        #expect(try compact(input) == #"{"Kind":"upper sorts first","apiVersion":"apps/v1","metadata":{"labels":{"app":"x","app.kubernetes.io/name":"web"},"name":"web"},"spec":{"b":[1,2,{"a":true,"z":null}],"replicas":3}}"#)
    }

    @Test func keysSortByUTF8BytesNotByUnicodeCollation() throws {
        // "é" (0xC3 0xA9) sorts after "z" bytewise; "Z" before "a".
        #expect(try compact(#"{"é":1,"z":2,"a":3,"Z":4}"#) == #"{"Z":4,"a":3,"z":2,"é":1}"#)
    }

    @Test func escapesLikeGo() throws {
        let input = #"{"s":"<a href=\"x\">&amp;</a> \/ \\ \n\r\t\b\f \u0001 \u001f \u007f é 😀 \u2028\u2029 \ud83d\ude00"}"#
        let expected = #"{"s":"\u003ca href=\"x\"\u003e\u0026amp;\u003c/a\u003e / \\ \n\r\t\b\f \u0001 \u001f "# + "\u{7F} é 😀 " + #"\u2028\u2029 "# + "😀\"}"
        #expect(try compact(input) == expected)
    }

    @Test func keepsNumbersAsWritten() throws {
        #expect(try compact(#"[0,-1,1.50,2e10,-0.5E-3,12345678901234567890]"#) == "[0,-1,1.50,2e10,-0.5E-3,12345678901234567890]")
    }

    @Test func duplicateKeysKeepTheLastValueLikeGo() throws {
        #expect(try compact(#"{"a":1,"a":2}"#) == #"{"a":2}"#)
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONValue.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue.parse(#""\udc00""#) == .string("\u{FFFD}"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "tru", "nul", "\"abc", "\"\u{1}\"", "{\"a\" 1}",
        "[1 2]", "\"\\x\"", "\"\\u12\"", "{1:2}", "[] []", "+1",
    ])
    func rejectsInvalidDocuments(text: String) {
        #expect(throws: JSONError.self) { try JSONValue.parse(text) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONError.nestingTooDeep(limit: 512)) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue.parse(fine) }
    }

    @Test func reportsWhereTheSyntaxBreaks() {
        #expect(throws: JSONError.syntax(offset: 7, reason: "expected ',' or '}'")) { try JSONValue.parse(#"{"a":1 "b":2}"#) }
    }

    @Test func accessorsReachMembers() throws {
        let value = try JSONValue.parse(#"{"metadata":{"name":"web","namespace":"prod"},"kind":"Deployment"}"#)
        #expect(value["metadata"]?["name"]?.stringValue == "web")
        #expect(value["kind"]?.stringValue == "Deployment")
        #expect(value["missing"] == nil)
        #expect(value["kind"]?["x"] == nil)
    }

    @Test func roundTripsAreStable() throws {
        let once = try JSONValue.goCompact(Array(#"{"b":{"d":[1,{"f":"\u00e9"}],"c":"x"},"a":[]}"#.utf8))
        #expect(try JSONValue.goCompact(once) == once)
        #expect(String(decoding: once, as: UTF8.self) == #"{"a":[],"b":{"c":"x","d":[1,{"f":"é"}]}}"#)
    }
}
