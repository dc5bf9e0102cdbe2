import Foundation
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("amparo import, as an officer runs it")
struct ImportCommandTests {
    @Test("refused rows, the report and the summary come in the language asked for, or the locale's")
    func speaksTheOfficersLanguage() throws {
        let folder = try BadBatch.folder()
        defer { folder.delete() }
        let work = try TestDatabase.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: work) }

        let spanish = try run(["import", folder.path, "--database", work + "/es.sqlite", "--report", work + "/es.csv",
                               "--language", "es"], environment: [:])
        #expect(spanish.status == 1)
        #expect(spanish.errors.contains("households.csv:3 sleeping_rooms \"-1\": debe ser al menos 0"))
        #expect(spanish.errors.contains("No se escribió nada"))
        #expect(spanish.output.contains("households.csv: 7 leídas, 0 añadidas"))
        let report = try String(contentsOfFile: work + "/es.csv", encoding: .utf8)
        #expect(report.contains("households.csv,4,area_code,99999,el área no está en el registro ni fue aceptada de areas.csv"))

        // Without --language, a Brazilian terminal gets Portuguese.
        let portuguese = try run(["import", folder.path, "--database", work + "/pt.sqlite"], environment: ["LANG": "pt_BR.UTF-8"])
        #expect(portuguese.errors.contains("households.csv:5 floor \"marble\": não é um código conhecido"))
        #expect(portuguese.output.contains("households.csv: 7 lidas"))
    }

    private func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = KilledImportTests.program
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { new, _ in new }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
