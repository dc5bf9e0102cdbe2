/// Bytes written as lower-case hexadecimal, two digits a byte: hashes and keys as they are
/// stored and printed. Written from a table rather than with `String(format:)`, which the
/// audit trail would call thirty-two times for each entry.
extension Sequence where Element == UInt8 {
    public var hexadecimal: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
