import Foundation

/// Makes record ids as UUID version 7 (RFC 9562): a millisecond timestamp first, then
/// randomness. Ids made one after another sort one after another, so a bulk load appends
/// to the end of each index instead of scattering writes across it, as random (version 4)
/// ids would; they stay as unguessable and as unique.
struct RecordIdentifiers {
    private var lastMillisecond: UInt64 = 0
    private var counter: UInt64 = 0
    /// Randomness fetched from the system in batches: one system call per id was a tenth of
    /// an import's work.
    private var randomPool: [UInt64] = []

    mutating func next() -> RecordID {
        let (high, low) = nextBits()
        return RecordID(high: high, low: low)
    }

    private mutating func nextBits() -> (high: UInt64, low: UInt64) {
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        if now > lastMillisecond {
            lastMillisecond = now
            counter = 0
        } else {
            // Same millisecond (or the clock stepped back): count up, borrowing the next millisecond when full.
            counter += 1
            if counter > 0xFFF {
                lastMillisecond += 1
                counter = 0
            }
        }
        if randomPool.isEmpty {
            randomPool = [UInt64](repeating: 0, count: 512)
            randomPool.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
        }
        let tail = randomPool.removeLast()
        let high = (lastMillisecond << 16) | 0x7000 | counter
        let low = (tail & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return (high, low)
    }
}

/// A record id's 128 bits, in the order RFC 9562 lays them out, held in two words rather
/// than as text: an import keeps several for every person, and writes each where it goes.
struct RecordID: Hashable, Sendable {
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// From canonical text, in either case, as the database gives an id back.
    init?(text: String) {
        var text = text
        guard let id = text.withUTF8({ RecordID(textBytes: $0) }) else { return nil }
        self = id
    }

    /// From text bytes: 32 hexadecimal digits in either case, with or without the four
    /// hyphens of the canonical form, which come after digits 8, 12, 16 and 20.
    init?(textBytes text: UnsafeBufferPointer<UInt8>) {
        let hyphens = text.count == 36
        guard hyphens || text.count == 32 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (at, byte) in text.enumerated() {
            if hyphens, at == 8 || at == 13 || at == 18 || at == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case 48...57: value = byte - 48
            case 65...70: value = byte - 55
            case 97...102: value = byte - 87
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(value) } else { words.1 = words.1 << 4 | UInt64(value) }
            digits += 1
        }
        self.init(high: words.0, low: words.1)
    }

    /// The canonical text, upper-case as `UUID.uuidString` writes it, made without
    /// Foundation's formatting, which costs more than making the id.
    var text: String {
        String(unsafeUninitializedCapacity: 36) { text in
            withText { text.baseAddress!.update(from: $0.baseAddress!, count: 36) }
            return 36
        }
    }

    /// Hands over the 36 bytes of the canonical text, made in place.
    func withText<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        withTextAndBytes { body(UnsafeBufferPointer(rebasing: $0.prefix(36))) }
    }

    /// Hands over the canonical text followed by the id's sixteen bytes, made in place, as
    /// bulk rows keep an id (see `BulkCell.Kind.id`).
    func withTextAndBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var space: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &space) { space in
            writeText(to: space)
            space.storeBytes(of: high.bigEndian, toByteOffset: 36, as: UInt64.self)
            space.storeBytes(of: low.bigEndian, toByteOffset: 44, as: UInt64.self)
            return body(UnsafeBufferPointer(start: space.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 52))
        }
    }

    /// Writes the canonical text at the start of `space`, a byte (two digits) at a time, with
    /// a hyphen after the 4th, 6th, 8th and 10th byte.
    private func writeText(to space: UnsafeMutableRawBufferPointer) {
        RecordID.digitPairs.withUnsafeBufferPointer { pairs in
            var at = 0
            for byte in 0..<16 {
                if byte == 4 || byte == 6 || byte == 8 || byte == 10 {
                    space[at] = UInt8(ascii: "-")
                    at += 1
                }
                let value = Int(truncatingIfNeeded: (byte < 8 ? high : low) >> UInt64(56 - 8 * (byte % 8)))
                space.storeBytes(of: pairs[value & 0xFF].littleEndian, toByteOffset: at, as: UInt16.self)
                at += 2
            }
        }
    }

    /// Each byte's two upper-case hexadecimal digits, in memory order.
    private static let digitPairs: [UInt16] = (0..<256).map { value in
        let digits = Array("0123456789ABCDEF".utf8)
        return UInt16(digits[value >> 4]) | UInt16(digits[value & 0xF]) << 8
    }
}
