/// The subset of `gobwas/glob` that Velero filters use: `*`, `?` and character classes `[abc]`, `[a-z]`, `[!a]`.
struct Glob: Sendable {
    private let pattern: [Character]

    init(_ pattern: String) { self.pattern = Array(pattern) }

    static func isPattern(_ text: String) -> Bool { text.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    func matches(_ text: String) -> Bool { match(pattern[...], Array(text)[...]) }

    private func match(_ pattern: ArraySlice<Character>, _ text: ArraySlice<Character>) -> Bool {
        var p = pattern
        var t = text
        while let head = p.first {
            switch head {
            case "*":
                let rest = p.dropFirst()
                if rest.isEmpty { return true }
                var suffix = t
                while true {
                    if match(rest, suffix) { return true }
                    guard !suffix.isEmpty else { return false }
                    suffix = suffix.dropFirst()
                }
            case "?":
                guard !t.isEmpty else { return false }
                p = p.dropFirst()
                t = t.dropFirst()
            case "[":
                guard let close = p.dropFirst().firstIndex(of: "]"), let character = t.first else { return false }
                var set = p[(p.startIndex + 1)..<close]
                let negated = set.first == "!"
                if negated { set = set.dropFirst() }
                var found = false
                var members = Array(set)
                while !members.isEmpty {
                    if members.count >= 3, members[1] == "-" {
                        if members[0] <= character && character <= members[2] { found = true }
                        members.removeFirst(3)
                    } else {
                        if members[0] == character { found = true }
                        members.removeFirst()
                    }
                }
                guard found != negated else { return false }
                p = p[(close + 1)...]
                t = t.dropFirst()
            default:
                guard t.first == head else { return false }
                p = p.dropFirst()
                t = t.dropFirst()
            }
        }
        return t.isEmpty
    }
}
