/// A linkage table as bytes and back, so that a list too large to hold can be set down
/// on disk in chunks and read again a part at a time. The bytes are this machine's own
/// and live only as long as the run that wrote them.
extension LinkageTable {
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        func section<T>(_ values: [T]) {
            values.withUnsafeBytes { raw in
                withUnsafeBytes(of: UInt64(raw.count)) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: raw)
            }
        }
        section([UInt64(count)])
        section(ids.bytes)
        section(ids.ends)
        section(positions)
        section(sides.map(\.rawValue))
        for column in columns {
            section(column.bytes)
            section(column.ends)
        }
        section(latitudes)
        section(longitudes)
        return bytes
    }

    /// The table `encoded()` gave.
    public init(encoded bytes: UnsafeRawBufferPointer) {
        var offset = 0
        func section<T>(_ type: T.Type) -> [T] {
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
            let values = [T](unsafeUninitializedCapacity: length / MemoryLayout<T>.stride) { buffer, initialised in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
                initialised = length / MemoryLayout<T>.stride
            }
            offset += length
            return values
        }
        self.init()
        count = Int(section(UInt64.self)[0])
        ids = TextColumn(bytes: section(UInt8.self), ends: section(UInt32.self))
        positions = section(UInt32.self)
        sides = section(UInt8.self).map { Side(rawValue: $0) ?? .left }
        for field in LinkageField.allCases {
            columns[field.rawValue] = TextColumn(bytes: section(UInt8.self), ends: section(UInt32.self))
            if !columns[field.rawValue].bytes.isEmpty { fieldsPresent.insert(field) }
        }
        latitudes = section(Float.self)
        longitudes = section(Float.self)
        hasPoints = latitudes.contains { !$0.isNaN }
    }
}
