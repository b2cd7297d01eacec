import GRDB
import LifeboatCore

/// The one implementation of list paging over a table keyed by `name`: the continue token's `name > ?`, the
/// `limit` check, `ORDER BY name`, one extra row to know whether another page exists, and the next token after
/// the last name. Callers add their own filter clauses.
enum KeysetPage {
    static func fetch<Item>(
        _ db: Database, select: String, filters: [String] = [], arguments filterArguments: [(any DatabaseValueConvertible)?] = [],
        options: ListOptions, decode: (Row) throws -> Item, name: (Item) -> String
    ) throws -> ListPage<Item> {
        var clauses: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let token = options.continueToken, !token.isEmpty {
            clauses.append("name > ?")
            arguments.append(try ContinueToken.decode(token))
        }
        clauses += filters
        arguments += filterArguments
        if let limit = options.limit, limit < 1 || limit > ListOptions.maximumLimit {
            throw LifeboatError.invalidArgument(field: "limit", reason: "must be between 1 and \(ListOptions.maximumLimit)")
        }
        var sql = select
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY name"
        if let limit = options.limit {
            sql += " LIMIT ?"
            arguments.append(limit + 1)  // one extra row tells whether another page exists
        }
        // A cursor hands `decode` each row in place: columns it does not read are never copied out of SQLite.
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        var items: [Item] = []
        while let row = try rows.next() { items.append(try decode(row)) }
        var token: String? = nil
        if let limit = options.limit, items.count > limit {
            items.removeLast(items.count - limit)
            token = ContinueToken.encode(afterName: name(items[items.count - 1]))
        }
        return ListPage(items: items, continueToken: token)
    }
}
