import AmparoStorage
import Foundation
import Hummingbird

/// The fields of a form a page posts (`application/x-www-form-urlencoded`). Forms of the
/// back office are small: more than 16 KB is refused before it is read.
struct PageForm: Sendable {
    private var fields: [String: String] = [:]

    init(_ request: Request) async throws {
        let buffer = try await request.body.collect(upTo: 16 * 1024)
        let text = String(buffer: buffer)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    /// A form of a signed-in page: it must repeat the session's token, or it did not come
    /// from a page of this site (403, logged).
    init(_ request: Request, context: AmparoRequestContext) async throws {
        try await self.init(request)
        guard let session = context.staff, let sent = fields["csrf"], CitizenSignIn.same(session.csrf, sent) else {
            throw AccessRefusal.forbidden(reason: "csrf")
        }
    }

    subscript(name: String) -> String? { fields[name] }

    private static func decode(_ part: Substring) -> String? {
        part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
