/// The number a household is known by to people: short, printed on cards and read over
/// the telephone, with a check digit that catches a mistyped digit or two swapped ones.
///
/// Example: `RegistryNumber(sequence: 1234).description == "H-0000-1234-4"`.
public struct RegistryNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let sequence: Int64

    public init(sequence: Int64) {
        precondition(sequence >= 0 && sequence < 100_000_000, "registry numbers have eight digits")
        self.sequence = sequence
    }

    /// Reads `H-0000-1234-4` (dashes and case optional); nil when the check digit does not match.
    public init?(_ text: String) {
        let digits = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard digits.first == "H", digits.count == 10 else { return nil }
        let body = digits.dropFirst()
        guard body.allSatisfy(\.isASCII), let all = Int64(body), all >= 0 else { return nil }
        let sequence = all / 10
        guard RegistryNumber.checkDigit(of: sequence) == Int(all % 10) else { return nil }
        self.sequence = sequence
    }

    public var description: String {
        let digits = String(sequence)
        let padded = String(repeating: "0", count: 8 - digits.count) + digits
        return "H-\(padded.prefix(4))-\(padded.suffix(4))-\(RegistryNumber.checkDigit(of: sequence))"
    }

    /// The Damm check digit: unlike Luhn it catches every single-digit error and every swap of adjacent digits.
    static func checkDigit(of sequence: Int64) -> Int {
        let table: [[Int]] = [
            [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
            [4, 2, 0, 6, 8, 7, 1, 3, 5, 9], [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
            [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
            [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
            [9, 4, 3, 8, 6, 1, 7, 2, 0, 5], [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
        ]
        var interim = 0
        let digits = String(sequence)
        for byte in (String(repeating: "0", count: 8 - digits.count) + digits).utf8 {
            interim = table[interim][Int(byte - 48)]
        }
        return interim
    }

    public static func < (lhs: RegistryNumber, rhs: RegistryNumber) -> Bool { lhs.sequence < rhs.sequence }
}
