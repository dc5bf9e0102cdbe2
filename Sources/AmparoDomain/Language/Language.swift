import Foundation

/// The languages Amparo speaks to people: Spanish, Portuguese and English.
public enum Language: String, Sendable, CaseIterable {
    case es, pt, en

    /// Picks the language of an `Accept-Language` header, by quality, falling back to English,
    /// the common language of the partner systems that call the API.
    public static func negotiate(_ header: String?) -> Language {
        guard let header else { return .en }
        let ranked = header.split(separator: ",").enumerated().compactMap { position, part -> (Language, Double, Int)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first,
                  let language = Language(rawValue: String(tag.prefix(2)).lowercased()) else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0 ? (language, quality, position) : nil
        }
        return ranked.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.first?.0 ?? .en
    }
}

/// A text a person reads, in each language Amparo speaks.
///
/// Policies, indicators and messages carry all three, so that a caseworker in Brazil and a
/// citizen in Colombia read the same reasons in their own language.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var es: String
    public var pt: String
    public var en: String

    public init(es: String, pt: String, en: String) {
        self.es = es
        self.pt = pt
        self.en = en
    }

    public subscript(language: Language) -> String {
        switch language {
        case .es: es
        case .pt: pt
        case .en: en
        }
    }
}
