import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
@testable import KubeSim

/// A raw HTTP client for what kubectl does not exercise (status codes, headers, exact bodies).
struct SimClient {
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
    }

    let baseURL: String
    var token: String?

    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String = "application/json") async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    func get(_ path: String) async throws -> Reply { try await send(.GET, path) }
    func post(_ path: String, _ body: String) async throws -> Reply { try await send(.POST, path, body: body) }
    func put(_ path: String, _ body: String) async throws -> Reply { try await send(.PUT, path, body: body) }
    func delete(_ path: String) async throws -> Reply { try await send(.DELETE, path) }
    func patch(_ path: String, _ body: String, type: String) async throws -> Reply {
        try await send(.PATCH, path, body: body, contentType: type)
    }
}
