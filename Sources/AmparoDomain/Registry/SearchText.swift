import Foundation

/// Text folded for search: lower case, without accents, so that "MUÑOZ", "Muñoz" and
/// "munoz" find the same person, and "João" is found as "joao".
public enum SearchText {
    public static func fold(_ text: String) -> String {
        // ASCII is by far the most common case and needs no Unicode tables.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        let decomposed = text.decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars).lowercased()
    }

    /// The words of a name, folded, joined by single spaces: the form stored for name search.
    public static func nameKey(_ parts: String?...) -> String {
        parts.compactMap { $0 }
            .flatMap { fold($0).split(whereSeparator: { $0 == " " || $0 == "-" || $0 == "'" }) }
            .joined(separator: " ")
    }
}
