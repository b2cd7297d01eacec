import Foundation

/// S3 `ListObjectsV2` semantics over a sorted key set, for stores that are not S3.
///
/// Shared by the filesystem and in-memory stores so that both list exactly like a bucket: keys in
/// ascending UTF-8 byte order, `delimiter` roll-up into common prefixes, `maxKeys` counting objects and
/// prefixes together, and an opaque continuation token that resumes after the last entry returned.
enum ListingPaginator {
    /// S3 never returns more than 1000 entries per page.
    static let maximumPageSize = 1000

    /// Whether `lhs` sorts before `rhs` in S3's order (UTF-8 bytes, not Unicode collation).
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// One page from `objects`, which must already hold only keys under `prefix`, sorted with `precedes`.
    static func page(
        sortedObjects objects: [ObjectInfo], prefix: String, delimiter: String?, maxKeys: Int, continuationToken: String?
    ) throws -> ObjectListPage {
        guard maxKeys >= 0 else { throw ObjectStoreError.invalidArgument(reason: "maxKeys must not be negative") }
        let limit = min(maxKeys, maximumPageSize)
        let resume = try continuationToken.map(Cursor.init(token:))
        var page = ObjectListPage(objects: [], commonPrefixes: [], nextContinuationToken: nil)
        var lastEmitted: Cursor?
        var index = objects.startIndex
        if let resume {
            index = objects.partitionPoint { !precedes(resume.position, $0.key) }
        }
        while index < objects.endIndex {
            let object = objects[index]
            index += 1
            if let resume, resume.isPrefix, object.key.utf8.starts(with: resume.position.utf8) { continue }
            let entry = rollUp(key: object.key, prefix: prefix, delimiter: delimiter)
            if let lastEmitted, lastEmitted.isPrefix, case .prefix(let p) = entry, p == lastEmitted.position { continue }
            if page.objects.count + page.commonPrefixes.count == limit {
                page.nextContinuationToken = lastEmitted?.token
                if limit == 0 { page.nextContinuationToken = nil }
                return page
            }
            switch entry {
            case .object:
                page.objects.append(object)
                lastEmitted = Cursor(position: object.key, isPrefix: false)
            case .prefix(let commonPrefix):
                page.commonPrefixes.append(commonPrefix)
                lastEmitted = Cursor(position: commonPrefix, isPrefix: true)
            }
        }
        return page
    }

    private enum Entry {
        case object
        case prefix(String)
    }

    private static func rollUp(key: String, prefix: String, delimiter: String?) -> Entry {
        guard let delimiter, !delimiter.isEmpty else { return .object }
        // Byte-wise, as S3 does: Unicode-aware string search would treat canonically equal keys as equal.
        let keyBytes = Array(key.utf8)
        let needle = Array(delimiter.utf8)
        var start = prefix.utf8.count
        while start + needle.count <= keyBytes.count {
            if keyBytes[start..<(start + needle.count)].elementsEqual(needle) {
                return .prefix(String(decoding: keyBytes[..<(start + needle.count)], as: UTF8.self))
            }
            start += 1
        }
        return .object
    }

    /// Where the previous page stopped: after an object key, or after every key under a common prefix.
    private struct Cursor {
        var position: String
        var isPrefix: Bool

        init(position: String, isPrefix: Bool) {
            self.position = position
            self.isPrefix = isPrefix
        }

        init(token: String) throws {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                let kind = text.first, kind == "k" || kind == "p"
            else { throw ObjectStoreError.invalidArgument(reason: "the continuation token is not one this store issued") }
            position = String(text.dropFirst())
            isPrefix = kind == "p"
        }

        var token: String { Data(((isPrefix ? "p" : "k") + position).utf8).base64EncodedString() }
    }
}

extension Array {
    /// The first index whose element does not satisfy `belongsBefore`; the array must be partitioned by it.
    func partitionPoint(where belongsBefore: (Element) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if belongsBefore(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
