import LifeboatKube
import Testing

@testable import LifeboatEngine

@Suite struct MergePatchTests {
    @Test func equalDocumentsNeedNoPatch() throws {
        let document = try JSONValue(parsing: #"{"a":"x","b":{"c":[1,2]},"d":null}"#)
        #expect(MergePatch.diff(from: document, to: document) == nil)
    }

    @Test func patchSetsChangedRemovesMissingAndReplacesArrays() throws {
        let live = try JSONValue(parsing: #"{"data":{"mode":"changed","extra":"1"},"list":[1,2],"same":"s"}"#)
        let backup = try JSONValue(parsing: #"{"data":{"mode":"prod"},"list":[1],"same":"s","added":{"k":"v"}}"#)
        let patch = try #require(MergePatch.diff(from: live, to: backup))
        #expect(patch == (try JSONValue(parsing: #"{"data":{"mode":"prod","extra":null},"list":[1],"added":{"k":"v"}}"#)))
        #expect(MergePatch.paths(of: patch) == ["added.k", "data.extra", "data.mode", "list"])
    }
}
