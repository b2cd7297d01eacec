import Foundation
import Testing

@testable import LifeboatArchive

/// Every object of `../shared/corpus/` re-encoded by us must match Go's `json.Marshal` bytes.
///
/// Python produces the reference: `json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
/// already escapes like Go (`\"`, `\\`, `\n`, `\b`, `\f`, `\u00XX` in lower case) except that Go also
/// escapes `<`, `>`, `&`, U+2028 and U+2029, which the script adds. Our input is the same object
/// indented and with unsorted keys, so sorting, compaction and escaping are all exercised.
@Suite struct CorpusJSONTests {
    static let corpus = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus").standardizedFileURL

    @Test func reencodesEveryCorpusObjectLikeGo() async throws {
        let directory = try TemporaryDirectory()
        let script = """
            import glob, json, os, sys, yaml
            def go(doc):
                text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                for raw, escaped in (("<", "\\\\u003c"), (">", "\\\\u003e"), ("&", "\\\\u0026"), ("\\u2028", "\\\\u2028"), ("\\u2029", "\\\\u2029")):
                    text = text.replace(raw, escaped)
                return text
            count = 0
            with open("input.jsonl", "w", encoding="utf-8") as inp, open("expected.jsonl", "w", encoding="utf-8") as exp:
                for path in sorted(glob.glob(os.path.join(sys.argv[1], "*", "*.yaml"))):
                    for doc in yaml.load_all(open(path, encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
                        if not doc:
                            continue
                        shuffled = json.dumps(doc, indent=1, ensure_ascii=True, default=str)
                        inp.write(json.dumps(shuffled) + "\\n")
                        exp.write(go(json.loads(shuffled)) + "\\n")
                        count += 1
            print(count)
            """
        let run = try await ChildProcess.run("python3", ["-c", script, Self.corpus.path], in: directory.url)
        #expect(run.status == 0, "\(run.stderr)")
        let count = Int(String(decoding: run.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(count >= 700)

        let inputs = try String(contentsOf: directory.file("input.jsonl"), encoding: .utf8).split(separator: "\n")
        let expected = try String(contentsOf: directory.file("expected.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(inputs.count == count && expected.count == count)
        var mismatches = 0
        for (input, want) in zip(inputs, expected) {
            guard case .string(let indented) = try JSONValue.parse(String(input)) else {
                Issue.record("input line is not a JSON string")
                continue
            }
            let got = String(decoding: try JSONValue.parse(indented).goJSONBytes(), as: UTF8.self)
            if got != String(want) {
                mismatches += 1
                if mismatches <= 3 { Issue.record("mismatch:\n got \(got.prefix(300))\nwant \(want.prefix(300))") }
            }
        }
        #expect(mismatches == 0)
    }
}
