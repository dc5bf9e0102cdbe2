import Foundation

/// Makes record ids as UUID version 7 (RFC 9562): a millisecond timestamp first, then
/// randomness. Ids made one after another sort one after another, so a bulk load appends
/// to the end of each index instead of scattering writes across it, as random (version 4)
/// ids would; they stay as unguessable and as unique.
struct RecordIdentifiers {
    private var lastMillisecond: UInt64 = 0
    private var counter: UInt64 = 0
    private var random = SystemRandomNumberGenerator()

    mutating func next() -> UUID {
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
        let tail = random.next() as UInt64
        let high = (lastMillisecond << 16) | 0x7000 | counter
        let low = (tail & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
