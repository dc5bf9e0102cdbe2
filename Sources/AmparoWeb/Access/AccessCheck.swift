import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird
import HTTPTypes

/// A request refused for who asked: not signed in (401), without the permission (403), or
/// about a record outside the requester's areas (404, as if the record did not exist).
/// `AccessMiddleware` writes every one into the audit trail before answering.
enum AccessRefusal: Error {
    case unauthenticated(reason: String)
    case forbidden(reason: String)
    case outOfScope(entity: String, id: UUID?, areaPath: String)
    case unsupportedMediaType

    func problem(in language: Language) -> ProblemDetails {
        switch self {
        case .unauthenticated: ProblemDetails(status: .unauthorized, .signInNeeded, in: language)
        case .forbidden: ProblemDetails(status: .forbidden, .notPermitted, in: language)
        case .outOfScope: ProblemDetails(status: .notFound, .nothingHere, in: language)
        case .unsupportedMediaType: ProblemDetails(status: .unsupportedMediaType, .jsonExpected, in: language)
        }
    }

    var reason: String {
        switch self {
        case .unauthenticated(let reason), .forbidden(let reason): reason
        case .outOfScope: "out_of_scope"
        case .unsupportedMediaType: "not_json"
        }
    }
}

extension AmparoRequestContext {
    /// Refuses a requester who may not do `permission` anywhere: 401 for nobody, 403 for a
    /// requester without it. Checked before any record is read.
    func require(_ permission: Permission) throws {
        guard !requester.isAnonymous else { throw AccessRefusal.unauthenticated(reason: "no_credentials") }
        guard requester.mayAnywhere(permission) else { throw AccessRefusal.forbidden(reason: "needs_\(permission.rawValue)") }
    }

    /// Refuses a record outside the areas where the requester may do `permission`, as if it
    /// did not exist.
    func require(_ permission: Permission, in areaPath: String, entity: String, id: UUID?) throws {
        try require(permission)
        guard requester.may(permission, in: areaPath) else {
            throw AccessRefusal.outOfScope(entity: entity, id: id, areaPath: areaPath)
        }
    }

    /// A person is seen by whoever may read one of their areas; a person in no household
    /// only by those who read everywhere.
    func require(_ permission: Permission, inAnyOf paths: [String], person: UUID) throws {
        try require(permission)
        let allowed = paths.isEmpty ? requester.may(permission, in: Grant.wholeCountry)
            : paths.contains { requester.may(permission, in: $0) }
        guard allowed else { throw AccessRefusal.outOfScope(entity: "individual", id: person, areaPath: paths.first ?? "/") }
    }

    /// The areas a search must keep to: nil for a requester who may do `permission` everywhere.
    func searchScopes(_ permission: Permission) throws -> [String]? {
        try require(permission)
        return requester.areas(for: permission)
    }

    /// Only a requester whose permission covers the whole country: figures of the whole
    /// registry, and the clerical review, which shows persons from anywhere.
    func requireEverywhere(_ permission: Permission) throws {
        try require(permission)
        guard requester.may(permission, in: Grant.wholeCountry) else {
            throw AccessRefusal.outOfScope(entity: "none", id: nil, areaPath: Grant.wholeCountry)
        }
    }
}

/// Routes registered with the permission they need, beside their path, so that the check is
/// made before the handler runs and every route says what it needs.
extension RouterGroup where Context == AmparoRequestContext {
    @discardableResult
    func get(_ path: RouterPath, needs permission: Permission,
             use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        get(path) { request, context in
            try context.require(permission)
            return try await handler(request, context)
        }
    }

    @discardableResult
    func post(_ path: RouterPath, needs permission: Permission,
              use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        post(path) { request, context in
            try context.require(permission)
            return try await handler(request, context)
        }
    }

    @discardableResult
    func delete(_ path: RouterPath, needs permission: Permission,
                use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator) -> Self {
        delete(path) { request, context in
            try context.require(permission)
            return try await handler(request, context)
        }
    }
}

extension AmparoRequestContext {
    /// Refuses nobody: any signed-in staff account or client passes.
    func requireSignedIn() throws {
        guard !requester.isAnonymous else { throw AccessRefusal.unauthenticated(reason: "no_credentials") }
    }
}
