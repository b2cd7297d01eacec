import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
@testable import LifeboatServer
import Testing

/// The dashboard in `web-assets/`: served by the real application without a token while the API stays protected,
/// calling only paths of the contract, and free of HTML-injection sinks and external resources.
@Suite struct DashboardTests {
    /// Repository root, found from this file's path so the test does not depend on the working directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let assets = root.appendingPathComponent("web-assets")
    static let spec = root.appendingPathComponent("openapi/lifeboat.yaml")

    /// Every file of the dashboard, relative to `web-assets/` (`js/api.js`).
    static let files: [String] = {
        let enumerator = FileManager.default.enumerator(atPath: assets.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: assets.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }()

    static let scripts = files.filter { $0.hasSuffix(".js") }

    /// What each kind of asset must be served as.
    static let contentTypes = ["html": "text/html", "js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"]

    /// The application with the real API handlers on an in-memory catalog, the dashboard and the contract.
    func makeApplication() throws -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let dependencies = HTTPDependencies(
            authenticator: RoleTokens(), api: try CatalogTestServer().handler,
            webAssetsDirectory: Self.assets.path, openAPISpecPath: Self.spec.path)
        return try buildApplication(configuration: configuration, dependencies: dependencies, logger: quietLogger())
    }

    func text(_ relativePath: String) throws -> String {
        try String(contentsOf: Self.assets.appendingPathComponent(relativePath), encoding: .utf8)
    }

    // MARK: - Serving

    @Test func rootServesTheDashboardAsHTML() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let body = String(buffer: response.body)
                #expect(body.contains(#"<script type="module" src="js/app.js"></script>"#))
                #expect(body.contains("Content-Security-Policy"))
            }
        }
    }

    @Test(arguments: files)
    func assetIsServedWithItsContentTypeWithoutAToken(path: String) async throws {
        let suffix = String(path.split(separator: ".").last ?? "")
        let expected = try #require(Self.contentTypes[suffix], "add a content-type expectation for .\(suffix) files")
        let bytes = try Data(contentsOf: Self.assets.appendingPathComponent(path))
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/" + path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix(expected) == true, "\(path): \(response.headers[.contentType] ?? "none")")
                #expect(Data(buffer: response.body) == bytes)
            }
        }
    }

    @Test func theAPIStillNeedsATokenAndRolesStillApply() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            try await client.execute(uri: "/v1/backups", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            // What the dashboard's sign-in does with a pasted token.
            try await client.execute(uri: "/v1/status", method: .get, headers: .bearer(RoleTokens.viewer)) { response in
                #expect(response.status == .ok)
                let status = try jsonObject(response)
                #expect(field(status, "caller.role") as? String == "viewer")
            }
            // The 403 the dashboard shows as "your role cannot do this".
            try await client.execute(
                uri: "/v1/backups", method: .post, headers: .bearer(RoleTokens.viewer),
                body: ByteBuffer(string: #"{"metadata":{"name":"nightly"},"spec":{"cluster":"prod"}}"#)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    // MARK: - Static checks

    /// The source of a script without its comments, which may mention paths in prose.
    func code(_ relativePath: String) throws -> String {
        var lines: [String] = []
        var inBlock = false
        for line in try text(relativePath).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inBlock {
                if trimmed.contains("*/") { inBlock = false }
                continue
            }
            if trimmed.hasPrefix("/*") {
                inBlock = !trimmed.contains("*/")
                continue
            }
            if trimmed.hasPrefix("//") || trimmed.hasPrefix("*") { continue }
            let code = line.range(of: " // ").map { String(line[..<$0.lowerBound]) } ?? String(line)
            lines.append(code)
        }
        return lines.joined(separator: "\n")
    }

    /// `/v1/...` string and template literals in `source`, with `${...}` placeholders written as `{name}`.
    static func apiPaths(in source: String) throws -> Set<String> {
        let literal = try Regex(#"[`'"](/v1(?:/[^`'"\s?]*)?)[`'"?]"#)
        var found = Set<String>()
        for match in source.matches(of: literal) {
            let raw = String(match.output[1].substring ?? "")
            found.insert(raw.replacing(try Regex(#"\$\{[^}]*\}"#), with: "{name}"))
        }
        return found
    }

    @Test func everyAPIPathTheDashboardCallsIsInTheContract() throws {
        let contract = try String(contentsOf: Self.spec, encoding: .utf8)
        let specPaths = Set(contract.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  /v1"), line.hasSuffix(":"), !line.hasPrefix("   ") else { return nil }
            return String(line.dropFirst(2).dropLast())
        })
        #expect(specPaths.contains("/v1/backups/{name}/download"))

        let called = try Self.apiPaths(in: code("js/api.js"))
        #expect(called.count >= 20, "api.js lists the dashboard's paths; found \(called.sorted())")
        for path in called.sorted() {
            #expect(specPaths.contains(path), "js/api.js calls \(path), which openapi/lifeboat.yaml does not have")
        }
        // One module knows the paths; every other one goes through `paths`, so the check above sees every call.
        for script in Self.scripts where script != "js/api.js" {
            #expect(try Self.apiPaths(in: code(script)).isEmpty, "\(script) spells an API path; use `paths` from js/api.js")
        }
    }

    @Test func scriptsUseNoHTMLSinksAndNothingExternal() throws {
        for script in Self.scripts {
            let source = try code(script)
            for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "console.log"] {
                #expect(!source.contains(sink), "\(script) uses \(sink)")
            }
            for external in ["http://", "https://", "//cdn", "localStorage", "document.cookie"] {
                #expect(!source.contains(external), "\(script) contains \(external)")
            }
        }
        for stylesheet in Self.files where stylesheet.hasSuffix(".css") {
            let source = try text(stylesheet)
            #expect(!source.contains("http:") && !source.contains("https:") && !source.contains("@import"), "\(stylesheet) loads something external")
        }
        let index = try text("index.html")
        for match in index.matches(of: try Regex(#"(?:src|href)="([^"]*)""#)) {
            let reference = String(match.output[1].substring ?? "")
            #expect(!reference.contains("//"), "index.html references \(reference)")
        }
    }

    /// No bundler checks the module graph, so this does: every relative import names a file of the dashboard,
    /// and every file index.html loads exists.
    @Test func importsAndReferencesResolve() throws {
        let known = Set(Self.files)
        for script in Self.scripts {
            let directory = (script as NSString).deletingLastPathComponent
            for match in try code(script).matches(of: try Regex(#"from\s+'(\.{1,2}/[^']+)'"#)) {
                let specifier = String(match.output[1].substring ?? "")
                let resolved = URL(fileURLWithPath: "/" + directory).appendingPathComponent(specifier).standardized.path.dropFirst()
                #expect(known.contains(String(resolved)), "\(script) imports \(specifier), which does not exist")
            }
        }
        for match in try text("index.html").matches(of: try Regex(##"(?:src|href)="([^"#/][^"]*)""##)) {
            let reference = String(match.output[1].substring ?? "")
            #expect(known.contains(reference), "index.html references \(reference), which does not exist")
        }
    }

    // MARK: - Node (optional)

    /// `node` on the PATH, when there is one; the checks that need it are skipped otherwise.
    static let node: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/node" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: node != nil, "node is not installed"), arguments: scripts)
    func scriptParsesAsAModule(path: String) async throws {
        let result = try await Self.run(
            try #require(Self.node), ["--input-type=module", "--check"], input: Self.assets.appendingPathComponent(path).path)
        #expect(result.status == 0, "\(path):\n\(result.output)")
    }

    /// Loads every module in node (so missing exports fail to link) and checks the pure helpers.
    @Test(.enabled(if: node != nil, "node is not installed"))
    func modulesLinkAndHelpersBehave() async throws {
        let result = try await Self.run(try #require(Self.node), ["--input-type=module", "-e", Self.nodeScript, Self.assets.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("dashboard modules ok"), "\(result.output)")
    }

    static let nodeScript = #"""
        import assert from 'node:assert/strict';
        import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
        import { tmpdir } from 'node:os';
        import { join } from 'node:path';
        import { pathToFileURL } from 'node:url';

        const dir = mkdtempSync(join(tmpdir(), 'lifeboat-dashboard-'));
        const load = (file) => import(pathToFileURL(join(dir, 'js', file)).href);
        try {
          cpSync(process.argv[1], dir, { recursive: true });
          writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
          for (const file of readdirSync(join(dir, 'js'), { recursive: true }).filter((f) => f.endsWith('.js'))) {
            try {
              await load(file);
            } catch (error) {
              // app.js starts the page at load time and needs `document`; a link error is a SyntaxError instead.
              if (file === 'app.js' && error instanceof ReferenceError && /document|window/.test(error.message)) continue;
              throw new Error(`${file}: ${error}`);
            }
          }

          const { parseSelector } = await load('selector.js');
          assert.equal(parseSelector(''), undefined);
          assert.deepEqual(parseSelector('app=web'), { matchLabels: { app: 'web' } });
          assert.deepEqual(parseSelector('app==web, tier!=db'),
            { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] });
          assert.deepEqual(parseSelector('env in (a, b),!legacy,app.kubernetes.io/name,x notin (y)'), { matchExpressions: [
            { key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'legacy', operator: 'DoesNotExist' },
            { key: 'app.kubernetes.io/name', operator: 'Exists' }, { key: 'x', operator: 'NotIn', values: ['y'] }] });
          for (const bad of ['a in (b', 'a)', 'a b=c', 'k in ()', 'k in x']) assert.throws(() => parseSelector(bad), /invalid label selector/, bad);

          const format = await load('format.js');
          assert.equal(format.selectorText(parseSelector('tier notin (db),app=web,!old')), 'app=web,tier notin (db),!old');
          assert.equal(format.selectorText(undefined), '<none>');
          assert.equal(format.veleroTime('2026-01-02T03:04:05Z'), '2026-01-02 03:04:05 +0000 UTC');
          const now = Date.parse('2026-01-01T00:00:00Z');
          assert.equal(format.expiresIn('2026-01-31T00:00:00Z', now), '30d');
          assert.equal(format.expiresIn('2026-01-01T05:00:00Z', now), '5h');
          assert.equal(format.expiresIn('2025-12-31T00:00:00Z', now), '0s');
          assert.deepEqual(format.namespaceMappings('a:b, c:d'), { a: 'b', c: 'd' });
          assert.throws(() => format.namespaceMappings('a'));
          assert.deepEqual(format.commaList(' a, ,b '), ['a', 'b']);
          assert.equal(format.defaultRestoreName('nightly', new Date('2026-01-02T03:04:05Z')), 'nightly-20260102030405');
          assert.ok(format.isActive('InProgress') && format.isActive('New') && !format.isActive('Completed'));

          const { paths, listQuery } = await load('api.js');
          assert.equal(paths.backupLogs('a b/c'), '/v1/backups/a%20b%2Fc/logs');
          assert.equal(listQuery({ phase: 'Failed', continue: 'tok', cluster: '', other: 'x' }), '?continue=tok&phase=Failed');

          const router = await load('router.js');
          const parsed = router.parseHash(router.href(['backups', 'a/b'], { phase: 'Failed', labelSelector: 'a in (b,c)' }));
          assert.deepEqual(parsed.segments, ['backups', 'a/b']);
          assert.equal(parsed.query.get('labelSelector'), 'a in (b,c)');
          assert.deepEqual(router.match([{ pattern: ['backups', ':name'] }], ['backups', 'x']).params, { name: 'x' });
          console.log('dashboard modules ok');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        """#

    /// Runs a program to completion without blocking the cooperative pool; output goes through a file, so a
    /// chatty child cannot fill a pipe and hang.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> (status: Int32, output: String) {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-dashboard-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = try input.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try output.close()
        return (status, (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")
    }
}
