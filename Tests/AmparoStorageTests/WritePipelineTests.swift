import Testing
@testable import AmparoStorage

@Suite("Chunks of an import written on one or more connections")
struct WritePipelineTests {
    /// What the chunks did, as they did it.
    actor Record {
        var laneOfChunk: [Int: Int] = [:]
        var running: [Int: Int] = [:]
        var mostAtOnce = 0
        var mostOnOneLane = 0

        func start(chunk: Int, lane: Int) {
            laneOfChunk[chunk] = lane
            running[lane, default: 0] += 1
            mostOnOneLane = max(mostOnOneLane, running[lane]!)
            mostAtOnce = max(mostAtOnce, running.values.reduce(0, +))
        }

        func end(lane: Int) { running[lane]! -= 1 }
    }

    @Test("chunks take the lanes in turn, one at a time on each, and what they did adds up", arguments: [1, 2, 3])
    func lanes(count: Int) async throws {
        let record = Record()
        var pipeline = WritePipeline(lanes: count)
        for chunk in 0..<10 {
            try await pipeline.submit { lane in
                await record.start(chunk: chunk, lane: lane)
                try await Task.sleep(for: .milliseconds(30))
                await record.end(lane: lane)
                return WritePipeline.Outcome(added: chunk, refused: 1)
            }
        }
        let total = try await pipeline.finish()
        #expect(total.added == 45)
        #expect(total.refused == 10)
        for chunk in 0..<10 { #expect(await record.laneOfChunk[chunk] == chunk % count) }
        #expect(await record.mostOnOneLane == 1)
        #expect(await record.mostAtOnce == count)
    }

    @Test("a chunk that fails fails the whole, after the chunks beside it have ended")
    func failure() async throws {
        struct Refused: Error {}
        let record = Record()
        var pipeline = WritePipeline(lanes: 2)
        try await pipeline.submit { lane in
            await record.start(chunk: 0, lane: lane)
            throw Refused()
        }
        try await pipeline.submit { lane in
            await record.start(chunk: 1, lane: lane)
            try await Task.sleep(for: .milliseconds(50))
            await record.end(lane: lane)
            return WritePipeline.Outcome(added: 1, refused: 0)
        }
        await #expect(throws: Refused.self) { try await pipeline.finish() }
        // The second chunk ended before finish() threw.
        #expect(await record.running[1] == 0)
    }
}
