/// Who is asking, and what they may do where: a staff account's roles in their areas, a
/// system client's scopes in its areas, or nobody. Every route asks the requester one
/// question, `may(_:in:)`, or for a search the areas it may cover, `areas(for:)`.
///
///     let officer = Requester(actor: "staff:ana", grants: [Grant(role: .registrationOfficer, areaPath: "/AM/05/05001/")])
///     officer.may(.readPersons, in: "/AM/05/05001/0500101/")  // true
///     officer.may(.readPersons, in: "/AM/07/")                // false: as if the record did not exist
public struct Requester: Sendable, Equatable {
    /// How the actor is written in the audit trail: `staff:NAME`, `client:NAME`, `anonymous`.
    public var actor: String
    public var grants: [Grant]

    public init(actor: String, grants: [Grant]) {
        self.actor = actor
        self.grants = grants
    }

    /// Nobody signed in: may do nothing.
    public static let anonymous = Requester(actor: "anonymous", grants: [])

    public var isAnonymous: Bool { grants.isEmpty && actor == "anonymous" }

    /// Whether the requester may do `permission` on a record of the area at `areaPath`.
    public func may(_ permission: Permission, in areaPath: String) -> Bool {
        grants.contains { $0.permissions.contains(permission) && $0.covers(areaPath) }
    }

    /// Whether the requester may do `permission` anywhere at all.
    public func mayAnywhere(_ permission: Permission) -> Bool {
        grants.contains { $0.permissions.contains(permission) }
    }

    /// The areas in which the requester may do `permission`: nil for the whole country, an
    /// empty list for nowhere. Paths within another path of the list are left out.
    public func areas(for permission: Permission) -> [String]? {
        let paths = Set(grants.filter { $0.permissions.contains(permission) }.map(\.areaPath))
        if paths.contains(Grant.wholeCountry) { return nil }
        return paths.filter { path in !paths.contains { $0 != path && path.hasPrefix($0) } }.sorted()
    }

    /// The role (or scope) under which the requester does `permission` in `areaPath`, for the
    /// audit trail; the first that allows it.
    public func role(for permission: Permission, in areaPath: String) -> String? {
        grants.first { $0.permissions.contains(permission) && $0.covers(areaPath) }?.role
    }
}

/// A role (or a client's scope) held in one area and every area below it.
public struct Grant: Sendable, Equatable {
    /// The root of every area path: a grant there covers the whole country.
    public static let wholeCountry = "/"

    /// The role's or scope's name, as the audit trail writes it.
    public var role: String
    public var permissions: Set<Permission>
    /// The area's path, `/AM/05/` for a region; it ends with `/`, so that a prefix of it is
    /// always a whole ancestor and `/AM/0` never covers `/AM/05/`.
    public var areaPath: String

    public init(role: String, permissions: Set<Permission>, areaPath: String) {
        self.role = role
        self.permissions = permissions
        self.areaPath = areaPath.hasSuffix("/") ? areaPath : areaPath + "/"
    }

    public init(role: StaffRole, areaPath: String) {
        self.init(role: role.rawValue, permissions: AccessTable.permissions(of: role), areaPath: areaPath)
    }

    public init(scope: ClientScope, areaPath: String) {
        self.init(role: scope.rawValue, permissions: AccessTable.permissions(of: scope), areaPath: areaPath)
    }

    /// Whether the grant reaches the area at `path`: that area or one below it. Paths are
    /// compared as text, exactly, never as patterns.
    public func covers(_ path: String) -> Bool {
        path.hasPrefix(areaPath) || areaPath == Grant.wholeCountry
    }
}

/// The rule of the second factor: an account needs one if any of its roles changes data or
/// reaches more than one municipality.
public enum SecondFactorRule {
    /// `roles` are the account's roles, each with the level of the area it is held in.
    public static func required(roles: [(role: StaffRole, areaLevel: AreaLevel)]) -> Bool {
        roles.contains { grant in
            AccessTable.permissions(of: grant.role).contains { $0.changesData } || grant.areaLevel < .municipality
        }
    }
}
