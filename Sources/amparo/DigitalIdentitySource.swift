import ArgumentParser
import Foundation
import AmparoDomain

/// The country's digital identity (an OpenID Connect provider), from the environment:
/// `AMPARO_OIDC_ISSUER`, `AMPARO_OIDC_CLIENT_ID`, the secret in `AMPARO_OIDC_CLIENT_SECRET`
/// or the file `AMPARO_OIDC_CLIENT_SECRET_FILE` names (never the command line, which the
/// process list shows), the claim holding the ID document number in `AMPARO_OIDC_ID_CLAIM`
/// (`national_id` unless set), and where browsers reach Amparo in `AMPARO_OIDC_REDIRECT_BASE`
/// (the address served, unless set). No issuer, no such sign-in.
enum DigitalIdentitySource {
    static func load(host: String, port: Int) throws -> OpenIDProvider? {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let issuer = value("AMPARO_OIDC_ISSUER") else { return nil }
        guard let clientID = value("AMPARO_OIDC_CLIENT_ID") else {
            throw ValidationError("AMPARO_OIDC_ISSUER is set but AMPARO_OIDC_CLIENT_ID is not: give the client id Amparo is registered under")
        }
        var secret = value("AMPARO_OIDC_CLIENT_SECRET")
        if secret == nil, let path = value("AMPARO_OIDC_CLIENT_SECRET_FILE") {
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw ValidationError("AMPARO_OIDC_CLIENT_SECRET_FILE names \(path), which cannot be read")
            }
            secret = text.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        guard let secret, !secret.isEmpty else {
            throw ValidationError("AMPARO_OIDC_ISSUER is set but neither AMPARO_OIDC_CLIENT_SECRET nor AMPARO_OIDC_CLIENT_SECRET_FILE gives the client secret")
        }
        let base = value("AMPARO_OIDC_REDIRECT_BASE") ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        do {
            return try OpenIDProvider(issuer: issuer, clientID: clientID, clientSecret: secret, redirectBase: base,
                                      idNumberClaim: value("AMPARO_OIDC_ID_CLAIM") ?? OpenIDProvider.defaultIDNumberClaim)
        } catch let refusal as OpenIDProvider.Refusal {
            throw ValidationError(refusal.description)
        }
    }
}
