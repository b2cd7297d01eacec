/// A usage or local error of the CLI (bad file, bad flag value), printed as `Error: <message>`.
struct CLIError: Error, CustomStringConvertible, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
