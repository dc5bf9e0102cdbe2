import AmparoDomain
import Crypto
import Foundation

/// The server's one secret, from which every key it uses is derived (HKDF-SHA256, a
/// different label each): the key that signs access tokens, and the key of the hashes that
/// stand in the audit trail for search terms. It comes from the environment or a file,
/// never from the database, so a copy of the database forges no token and reads no term.
/// Servers sharing a database share the secret, and so accept each other's tokens.
public struct ServerSecret: Sendable {
    private let material: SymmetricKey

    /// At least 32 bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 32 else { throw SecretError.tooShort }
        material = SymmetricKey(data: bytes)
    }

    /// A secret for one process: tokens it signs die with it.
    public static func random() -> ServerSecret {
        // 32 random bytes are always long enough.
        try! ServerSecret(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The secret as text: 64 hexadecimal digits or base64, as `amparo secret new` writes it.
    public init(text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count >= 64, trimmed.count % 2 == 0, trimmed.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = trimmed.startIndex
            while index < trimmed.endIndex {
                let next = trimmed.index(index, offsetBy: 2)
                bytes.append(UInt8(trimmed[index..<next], radix: 16)!)
                index = next
            }
            try self.init(bytes: bytes)
        } else if let data = Data(base64Encoded: trimmed) {
            try self.init(bytes: Array(data))
        } else {
            throw SecretError.unreadable
        }
    }

    public enum SecretError: Error, CustomStringConvertible {
        case tooShort, unreadable

        public var description: String {
            switch self {
            case .tooShort: "the server's secret must be at least 32 bytes (64 hexadecimal digits)"
            case .unreadable: "the server's secret must be 64 or more hexadecimal digits, or base64"
            }
        }
    }

    public func key(for purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: material, info: Data("amparo \(purpose)".utf8), outputByteCount: 32)
    }

    /// The Ed25519 key that signs access tokens.
    var tokenSigningKey: Curve25519.Signing.PrivateKey {
        // Any 32 bytes are an Ed25519 seed.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: key(for: "token signing").withUnsafeBytes { Data($0) })
    }

    /// A keyed hash of search terms, as the audit trail keeps them.
    func termsHash(_ terms: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(terms.utf8), using: key(for: "audit terms"))
            .hexadecimal
    }
}
