/// The refs an import has seen, held as 64-bit fingerprints of their bytes with the line
/// each was first seen on, so that the checks across rows (a ref used twice, a person whose
/// household is missing) need neither the database nor the refs' text.
///
/// An open-addressing table of 12 bytes a slot, kept at most 80 % full and grown by half
/// rather than doubled: 3.4 million people, a million-household registry, take under 60 MB.
/// Two different refs share a fingerprint with a chance of one in 2^64 per pair (about 3
/// in 10 million for a whole import of that size); the write pass looks each household up
/// by its text, so such a clash can at worst refuse a row, never attach a person to the
/// wrong household.
struct RefIndex: Sendable {
    private var keys: [UInt64] = []
    private var lines: [Int32] = []
    private(set) var count = 0

    /// The line a ref was first seen on; negative when it was seen but not accepted.
    subscript(ref: String) -> Int32? {
        get { self[fingerprint: RefIndex.fingerprint(ref)] }
        set { self[fingerprint: RefIndex.fingerprint(ref)] = newValue }
    }

    /// The same, for a ref given by the fingerprint of its bytes.
    subscript(fingerprint key: UInt64) -> Int32? {
        get {
            guard !keys.isEmpty else { return nil }
            var slot = home(of: key)
            while keys[slot] != 0 {
                if keys[slot] == key { return lines[slot] }
                slot = slot + 1 == keys.count ? 0 : slot + 1
            }
            return nil
        }
        set {
            guard let line = newValue else { return }  // refs are never forgotten
            if (count + 1) * 5 > keys.count * 4 { grow() }
            var slot = home(of: key)
            while keys[slot] != 0 && keys[slot] != key { slot = slot + 1 == keys.count ? 0 : slot + 1 }
            if keys[slot] == 0 { count += 1 }
            keys[slot] = key
            lines[slot] = line
        }
    }

    func contains(_ ref: String) -> Bool { self[ref] != nil }

    func contains(fingerprint key: UInt64) -> Bool { self[fingerprint: key] != nil }

    /// True when the ref was seen and accepted.
    func accepts(_ ref: String) -> Bool { (self[ref] ?? -1) > 0 }

    func accepts(fingerprint key: UInt64) -> Bool { (self[fingerprint: key] ?? -1) > 0 }

    mutating func insert(_ ref: String) { self[ref] = 1 }

    /// The slot a key starts looking from: the key scaled onto the table, which works for
    /// any size, not only powers of two.
    private func home(of key: UInt64) -> Int {
        Int(key.multipliedFullWidth(by: UInt64(keys.count)).high)
    }

    private mutating func grow() {
        let old = (keys, lines)
        let size = max(1_024, keys.count + keys.count / 2)
        keys = Array(repeating: 0, count: size)
        lines = Array(repeating: 0, count: size)
        for (key, line) in zip(old.0, old.1) where key != 0 {
            var slot = home(of: key)
            while keys[slot] != 0 { slot = slot + 1 == keys.count ? 0 : slot + 1 }
            keys[slot] = key
            lines[slot] = line
        }
    }

    /// The fingerprint of a ref's UTF-8 bytes, never 0 (which marks an empty slot). Swift's
    /// hasher is keyed afresh for each process, which is all an import needs: the index
    /// lives no longer than the import.
    static func fingerprint(_ ref: String) -> UInt64 {
        var ref = ref
        return ref.withUTF8 { fingerprint(bytes: $0) }
    }

    static func fingerprint(bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        let value = UInt64(bitPattern: Int64(hasher.finalize()))
        return value == 0 ? 1 : value
    }
}
