/// An exact rational number, for weights, deprivation scores and cut-offs.
///
/// Weights such as 0.04 or 1/18 do not add up exactly in binary floating point, and a
/// household whose score is exactly the cut-off must be found poor by every
/// implementation, so targeting holds them as fractions and compares them exactly.
public struct Fraction: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Always reduced; carries the sign.
    public let numerator: Int64
    /// Always positive.
    public let denominator: Int64

    public init(_ numerator: Int64, _ denominator: Int64 = 1) {
        precondition(denominator != 0, "a fraction needs a non-zero denominator")
        let divisor = Fraction.gcd(numerator.magnitude, denominator.magnitude)
        let sign: Int64 = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / Int64(divisor)
        self.denominator = sign * denominator / Int64(divisor)
    }

    public static let zero = Fraction(0)
    public static let one = Fraction(1)

    /// Reads `0.04`, `1/18`, `33` or `-1.5`; nil for anything else, or past 12 decimals.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2 {
            guard let top = Int64(parts[0]), let bottom = Int64(parts[1]), bottom != 0 else { return nil }
            self.init(top, bottom)
            return
        }
        guard parts.count == 1, !text.isEmpty else { return nil }
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        let pieces = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let whole = pieces.first, !whole.isEmpty || pieces.count == 2,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return nil }
        let decimals = pieces.count == 2 ? pieces[1] : ""
        guard decimals.count <= 12, decimals.allSatisfy(\.isASCII), decimals.allSatisfy(\.isNumber),
              pieces.count == 1 || !decimals.isEmpty else { return nil }
        guard whole.count + decimals.count <= 18,
              let value = Int64(whole.isEmpty ? "0" + decimals : String(whole) + decimals) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<decimals.count { scale *= 10 }
        self.init(negative ? -value : value, scale)
    }

    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// A decimal rendering, rounded half away from zero to `places` digits, for people and reports.
    public func decimal(places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (Int128(numerator.magnitude) * Int128(scale) * 2 + Int128(denominator)) / (Int128(denominator) * 2)
        let whole = scaled / Int128(scale), rest = scaled % Int128(scale)
        var text = (numerator < 0 && scaled != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let digits = String(rest)
            text += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return text
    }

    /// The same without trailing zeros (`0.33`, `0.1`, `2`).
    public func shortDecimal(places: Int) -> String {
        var text = decimal(places: places)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    public static func + (lhs: Fraction, rhs: Fraction) -> Fraction {
        let divisor = Int64(gcd(lhs.denominator.magnitude, rhs.denominator.magnitude))
        return Fraction(lhs.numerator * (rhs.denominator / divisor) + rhs.numerator * (lhs.denominator / divisor),
                        lhs.denominator / divisor * rhs.denominator)
    }

    public static func - (lhs: Fraction, rhs: Fraction) -> Fraction { lhs + Fraction(-rhs.numerator, rhs.denominator) }

    public static func * (lhs: Fraction, rhs: Fraction) -> Fraction {
        Fraction(lhs.numerator * rhs.numerator, lhs.denominator * rhs.denominator)
    }

    public static func / (lhs: Fraction, rhs: Fraction) -> Fraction {
        Fraction(lhs.numerator * rhs.denominator, lhs.denominator * rhs.numerator)
    }

    public static func < (lhs: Fraction, rhs: Fraction) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a == 0 ? 1 : a
    }

    static func lcm(_ a: Int64, _ b: Int64) -> Int64 { a / Int64(gcd(a.magnitude, b.magnitude)) * b }
}

extension Fraction: Codable {
    /// Written as text (`"0.04"`, `"1/18"`) so that no JSON reader turns it into a binary float.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else if let number = try? container.decode(Int64.self) {
            text = String(number)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "write a fraction as text, e.g. \"0.04\" or \"1/18\"")
        }
        guard let fraction = Fraction(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a number such as \"0.04\" or a fraction such as \"1/18\"")
        }
        self = fraction
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
