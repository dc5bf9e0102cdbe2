/// Where in a policy file something is, written as `mpi.indicators[3].deprived_when`.
public struct PolicyPath: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public static let root = PolicyPath(description: "")

    func key(_ key: String) -> PolicyPath {
        PolicyPath(description: description.isEmpty ? key : description + "." + key)
    }

    func index(_ index: Int) -> PolicyPath { PolicyPath(description: description + "[\(index)]") }
}

/// Why a policy cannot be published: what is wrong and where in the file.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let path: PolicyPath
    public let reason: String

    public init(_ path: PolicyPath, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.description.isEmpty ? reason : "\(path): \(reason)" }
}
