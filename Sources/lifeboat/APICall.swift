import OpenAPIRuntime

/// Runs one API call, unwrapping the generated client's `ClientError` so the user sees the cause on one line.
///
/// The generated client wraps everything (our ``APIFailure`` from the middleware, connection refused, a body that
/// does not decode) in a `ClientError` whose description spans the whole request; the cause is what matters.
func callAPI<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ClientError {
        if let failure = error.underlyingError as? APIFailure { throw failure }
        let cause = String(describing: error.underlyingError).split(whereSeparator: \.isNewline).joined(separator: " ")
        throw CLIError("\(error.operationID) failed: \(cause)")
    }
}
