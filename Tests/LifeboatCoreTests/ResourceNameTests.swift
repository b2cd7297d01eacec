import Foundation
import LifeboatCore
import Testing

@Suite struct ResourceNameTests {
    @Test(arguments: ["a", "nightly", "web-1", "0abc", String(repeating: "a", count: 63)])
    func acceptsDNSLabels(_ raw: String) throws {
        #expect(try BackupName(raw).rawValue == raw)
    }

    @Test(arguments: ["", "Nightly", "-web", "web-", "a_b", "a.b", "a b", String(repeating: "a", count: 64)])
    func rejectsWhatIsNotALabel(_ raw: String) {
        #expect(throws: LifeboatError.self) { try ClusterName(raw) }
    }

    @Test func errorNamesTheField() {
        do throws(LifeboatError) {
            _ = try LocationName("Bad", field: "spec.storageLocation")
            Issue.record("accepted an invalid name")
        } catch {
            guard case .invalidArgument(let field, let reason) = error else { Issue.record("wrong error \(error)"); return }
            #expect(field == "spec.storageLocation")
            #expect(reason.contains("DNS-1123"))
        }
    }

    @Test func decodingValidates() throws {
        let decoded = try JSONDecoder().decode([ScheduleName].self, from: Data(#"["daily"]"#.utf8))
        #expect(decoded == [try ScheduleName("daily")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ScheduleName].self, from: Data(#"["Daily"]"#.utf8)) }
        #expect(String(decoding: try JSONEncoder().encode(try TokenName("ci")), as: UTF8.self) == #""ci""#)
    }
}
