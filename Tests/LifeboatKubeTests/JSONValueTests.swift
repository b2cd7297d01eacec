import Testing

@testable import LifeboatKube

@Suite struct JSONValueTests {
    @Test func roundTripKeepsIntegersExactAndSortsKeys() throws {
        let text = #"{"b":[1,2.5,-3e2,true,null],"a":{"big":9223372036854775807,"s":"x\"y\\z\n\u00e9\ud83d\ude00/"}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["a"]?["big"] == .int(Int64.max))
        #expect(value["a"]?["s"]?.stringValue == "x\"y\\z\né😀/")
        #expect(value["b"]?.arrayValue?[2] == .double(-300))
        #expect(value.serializedString == #"{"a":{"big":9223372036854775807,"s":"x\"y\\z\né😀/"},"b":[1,2.5,-300,true,null]}"#)
        // -3e2 is a double that serializes as the integer -300: re-serializing is stable, the value type is not.
        #expect(try JSONValue(parsing: value.serialized).serialized == value.serialized)
    }

    @Test(arguments: ["", "{", #"{"a":}"#, "[1,]", "01", #""\x""#, "tru", "{} x", #"{"a" 1}"#, #""\ud800""#])
    func malformedDocumentsAreRejected(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func objectAccessorsScanWithoutDecoding() {
        let object = KubeObject(json: Array(#"{"kind":"Pod","apiVersion":"v1","spec":{"name":"not-me"},"metadata":{"labels":{"name":"x"},"namespace":"ns","name":"p\u0031"}}"#.utf8))
        #expect(object.kind == "Pod")
        #expect(object.apiVersion == "v1")
        #expect(object.name == "p1")
        #expect(object.namespace == "ns")
        #expect(object.uid == nil)
    }

    @Test func listPageSplitsItemsCompactsThemAndFillsKind() throws {
        let body = """
            {
              "kind": "ConfigMapList", "apiVersion": "v1",
              "metadata": {"resourceVersion": "42", "continue": "abc", "remainingItemCount": 3},
              "items": [
                {"metadata": {"name": "a", "namespace": "ns"}, "data": {"k": "v w", "nested": "{\\"kind\\": 1}"}},
                {},
                {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "b"}}
              ]
            }
            """
        let page = try ListPage(json: Array(body.utf8))
        #expect(page.kind == "ConfigMapList")
        #expect(page.resourceVersion == "42")
        #expect(page.continueToken == "abc")
        #expect(page.remainingItemCount == 3)
        #expect(page.items.count == 3)
        #expect(page.items[0].jsonString == #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"ns"},"data":{"k":"v w","nested":"{\"kind\": 1}"}}"#)
        #expect(page.items[1].jsonString == #"{"kind":"ConfigMap","apiVersion":"v1"}"#)
        #expect(page.items[2].jsonString == #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"b"}}"#)
        for item in page.items { _ = try item.value() }
    }

    @Test func lastPageHasNoContinueToken() throws {
        let page = try ListPage(json: Array(#"{"kind":"PodList","apiVersion":"v1","metadata":{"continue":""},"items":[]}"#.utf8))
        #expect(page.continueToken == nil)
        #expect(page.items.isEmpty)
    }
}
